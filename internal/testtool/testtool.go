// Package testtool finds the external programs that ffivet's tests
// compare against or drive (gcc, a cross compiler, pkg-config, npm,
// Neovim, patch).
//
// A test that needs a program asks [Need] for it. On a developer's
// machine a missing program skips the test, saying what to install. Under
// CI=true it fails the test instead: CI installs every such program
// (.ci/run), so a missing one means the test did not run, and a run that
// skips what it was meant to check must not pass.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the path of the program name, found in $PATH. If it is
// missing, Need skips the test, or fails it under CI=true; install says
// how to get the program.
func Need(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	Missing(t, name+" is not installed ("+install+")")
	return ""
}

// Missing skips the test because something it needs from the machine is
// missing, or fails it under CI=true.
func Missing(t testing.TB, why string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s; CI=true: the test must run, not be skipped", why)
	}
	t.Skip(why)
}

// InCI reports whether the tests run in CI: CI=true, as CI services and
// .ci/run set it.
func InCI() bool { return os.Getenv("CI") == "true" }
