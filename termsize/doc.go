// Package termsize reads a terminal's size and follows its changes: on Unix
// by SIGWINCH, on Windows (which has no such signal) by polling the console
// size. It is the one resize watcher behind `devstack exec` and the
// dashboard's shell; it imports neither engine nor UI libraries.
package termsize
