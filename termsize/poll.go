package termsize

import "time"

// pollEvery is how often the console size is read where no signal reports a
// resize (Windows): a resize shows within a quarter of a second, and each
// read is one cheap console call.
const pollEvery = 250 * time.Millisecond

// poll reads the size with get every interval and sends on the returned
// channel when it differs from the last size read, until done is closed.
// A change that arrives while the previous one is still unread is merged
// into it: the receiver reads the size itself.
func poll(get func() (Size, bool), every time.Duration, done <-chan struct{}) <-chan struct{} {
	changed := make(chan struct{}, 1)
	last, _ := get()
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			s, ok := get()
			if !ok || s == last {
				continue
			}
			last = s
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	}()
	return changed
}
