class Pipe {
    send(data: string): void {
        void data;
    }
}

export default Pipe;
