package twoimports

// int first_func(void);
import "C"

import "fmt"

// int second_func(void);
import "C"

func F() { fmt.Println(C.first_func(), C.second_func()) }
