package defines

/*
#cgo CFLAGS: -DFEATURE -D LEVEL=3 -DUNWANTED -UUNWANTED -UREDEFINED -DREDEFINED
#cgo windows CFLAGS: -DON_WINDOWS
#cgo mytag CFLAGS: -DWITH_TAG

#ifdef FEATURE
int feature_func(int);
#endif
#if LEVEL == 3
int level3_func(void);
#endif
#ifdef UNWANTED
int unwanted_func(void);
#endif
#ifdef REDEFINED
int redefined_func(void);
#endif
#ifdef ON_WINDOWS
int windows_func(void);
#endif
#ifdef WITH_TAG
int tagged_func(void);
#endif
*/
import "C"

func F() { C.feature_func(1) }
