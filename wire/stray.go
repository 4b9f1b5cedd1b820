package wire

import (
	"context"
	"errors"
	"net/http"
)

// strayRetries bounds how often strayRetry sends a request again.
const strayRetries = 2

// strayRetry is the exchange's transport (its own, or its given client's):
// a request failed with a context error while its own context is live
// failed on another request's. net/http can hand over a connection that
// request's deadline cancelled, and fail this one on it before writing it
// (under load a bid request so failed read as a timeout long before the
// late grace's end, and censored the tmax curve there; a notice so failed
// was counted unsent). Never written, it is sent again, at most
// strayRetries times; a request whose own context ended, or whose body
// cannot be read again, is not.
type strayRetry struct{ next http.RoundTripper }

// RoundTrip is http.RoundTripper's.
func (s strayRetry) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	for try := 0; err != nil && try < strayRetries && r.Context().Err() == nil && strayCancel(err); try++ {
		again := r.Clone(r.Context())
		if r.Body != nil && r.Body != http.NoBody {
			if r.GetBody == nil {
				break
			}
			body, gerr := r.GetBody()
			if gerr != nil {
				break
			}
			again.Body = body
		}
		resp, err = s.next.RoundTrip(again)
	}
	return resp, err
}

// CloseIdleConnections closes the next transport's idle connections, as
// http.Client.CloseIdleConnections asks of it (the run's shutdown).
func (s strayRetry) CloseIdleConnections() {
	if c, ok := s.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// strayCancel reports whether err is a context's end: for a request whose
// own context is live, another request's.
func strayCancel(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}
