//go:build ignore

int ignored_func(void) { return 0 }
