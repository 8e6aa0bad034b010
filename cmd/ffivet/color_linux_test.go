package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openTerminal opens a pseudo-terminal and returns its two ends: what is
// written to the second can be read from the first.
func openTerminal(t *testing.T) (controller, terminal *os.File) {
	t.Helper()
	controller, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { controller.Close() })
	fd := int(controller.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("naming the pseudo-terminal: %v", err)
	}
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	return controller, terminal
}

// ffivetOnTerminal runs the driver with its stdout a terminal and returns
// what it printed there.
func ffivetOnTerminal(t *testing.T, args ...string) string {
	t.Helper()
	controller, terminal := openTerminal(t)
	done := make(chan string)
	go func() {
		var out bytes.Buffer
		io.Copy(&out, controller) // ends with EIO once the terminal is closed
		done <- out.String()
	}()
	var stderr bytes.Buffer
	code := run(args, testAnalyzers, terminal, &stderr)
	terminal.Close()
	out := <-done
	t.Logf("ffivet %s: exit %d\nterminal:\n%q\nstderr:\n%s", strings.Join(args, " "), code, out, &stderr)
	return out
}

func TestColorOnTerminal(t *testing.T) {
	newModule(t)
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	out := ffivetOnTerminal(t, "-exportedfunc=false", "./cgopkg")
	for _, want := range []string{
		"\x1b[36mcgopkg/cgopkg.go:14:8\x1b[0m",              // position
		"\x1b[35m[cstringfree]\x1b[0m",                      // check
		"\x1b[31mmemory from C.CString is not freed\x1b[0m", // message
	} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal output lacks %q", want)
		}
	}
}

func TestNoColor(t *testing.T) {
	newModule(t)
	t.Setenv("NO_COLOR", "1")
	out := ffivetOnTerminal(t, "-exportedfunc=false", "./cgopkg")
	if !strings.Contains(out, "cgopkg/cgopkg.go:14:8: [cstringfree]") {
		t.Errorf("no finding on the terminal")
	}
	if escape.MatchString(out) {
		t.Errorf("NO_COLOR is set, yet the output has escape codes")
	}
}
