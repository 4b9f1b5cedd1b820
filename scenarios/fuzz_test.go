package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// FuzzParse checks that no input makes Parse panic or hang, that every
// failure is a list of positioned errors (every error about a field
// placed on a line), and that whatever Parse accepts
// the engine accepts too. Seeds: the bundled scenarios, the bad files in
// testdata/bad and the corpus in testdata/fuzz/FuzzParse (where the fuzzer
// also saves any failing input). Run it with
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 60s ./scenarios/
func FuzzParse(f *testing.F) {
	for _, name := range Names() {
		src, err := Source(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	bad, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	for _, path := range bad {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(issueExample))
	f.Add([]byte(minimal))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var list Errors
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %q, want a non-empty Errors", err, err)
			}
			for _, e := range list {
				if e.File != "fuzz.yaml" || e.Msg == "" || e.Line < 0 || e.Column < 0 || e.Field != "" && e.Line == 0 {
					t.Fatalf("malformed error %#v", e)
				}
			}
			return
		}
		if s.Stop.Auctions == 0 && s.Stop.Duration <= 0 {
			t.Fatalf("accepted without a stop: %+v", s.Stop)
		}
		if _, err := sim.New(s.Config); err != nil {
			t.Fatalf("Parse accepted a config the engine refuses: %v", err)
		}
		if err := s.Config.ValidateStop(s.Stop); err != nil {
			t.Fatalf("Parse accepted a stop the engine refuses: %v", err)
		}
	})
}
