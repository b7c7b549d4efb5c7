export class Counter {
    n = 0;
}
