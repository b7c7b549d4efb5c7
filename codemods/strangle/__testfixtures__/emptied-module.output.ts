// What move-declarations left of a legacy module whose class moved out (a split): a side-effect
// import the moved code needed at load time, and this comment. It exports nothing, so there is
// nothing for a facade to route: strangle leaves it as it is, and remove-shim deletes it.
import '../shared/names.js';
