package badc

/*
int ok_before(void);
int broken(int x { return x +; }
*/
import "C"

func F() {}
