package termsize

import (
	"sync"

	"github.com/charmbracelet/x/term"
)

// Size is a terminal's size in character cells.
type Size struct {
	Rows, Cols uint
}

// Get returns the size of the terminal open on fd; ok is false when fd is
// not a terminal.
func Get(fd uintptr) (s Size, ok bool) {
	w, h, err := term.GetSize(fd)
	if err != nil || w <= 0 || h <= 0 {
		return Size{}, false
	}
	return Size{Rows: uint(h), Cols: uint(w)}, true
}

// Watch calls onChange with the new size each time the terminal open on fd
// changes size, until stop is called. onChange runs on one goroutine and
// never after stop has returned. Sizes that cannot be read are skipped.
func Watch(fd uintptr, onChange func(Size)) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	sig, polled, unhook := notify(fd, done)
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				return
			case <-sig:
			case <-polled:
			}
			if s, ok := Get(fd); ok {
				onChange(s)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			unhook()
			close(done)
			<-finished
		})
	}
}
