package wire

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
)

// FuzzServerBid: whatever the body and the bidder's name, the server
// answers with one of its statuses, every error is JSON naming the
// problem, and it never panics.
func FuzzServerBid(f *testing.F) {
	for _, seed := range []string{
		request,
		`{"id":"x","imp":[{"id":"1","bidfloor":1e308}],"tmax":9223372036854775807}`,
		`{"id":"x","imp":[{"id":"1"}],"tmax":-1}`,
		`{"id":"","imp":[]}`,
		`{"imp":[{"id":"1"}]}`,
		`[]`, `null`, `{`, "\x00", `{"id":1}`,
		`{"id":"x","imp":[{"id":"1","banner":{"w":-1}}],"ext":{"prebid":{}}}`,
	} {
		f.Add("steady", seed)
		f.Add("rich", seed)
	}
	f.Add("nobody", request)
	f.Add("", request)
	f.Fuzz(func(t *testing.T, name, body string) {
		s, _ := newTestServer(t)
		req := httptest.NewRequest(http.MethodPost, BidPath, strings.NewReader(body))
		req.URL.Path = BidPath + name
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK, http.StatusNoContent:
		case http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusMovedPermanently:
			if p := BidPath + name; path.Clean(p) == p {
				t.Fatalf("%d for the clean path %q", w.Code, p)
			} // the mux sends an unclean path to its clean form
		case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge,
			http.StatusInternalServerError, http.StatusServiceUnavailable:
			var e errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Fatalf("%d without a JSON error: %q", w.Code, w.Body)
			}
		default:
			t.Fatalf("status %d for %q to %q", w.Code, body, name)
		}
	})
}
