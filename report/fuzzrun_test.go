package report

import (
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// FuzzRun checks that whatever scenario Parse accepts runs to a correct
// end (runsToAnEnd): no panic in the engine, its snapshot or the
// writers; the winners' spend and the abandoned revenue add up to the
// exchange's revenue; no more filled than run; a JSON export that
// encodes (a NaN or an infinity would not) and a CSV that writes.
// FuzzParse covers what Parse refuses; this covers what it lets through,
// run for a few thousand auctions (TestOverridesRun tries each bundled
// path's extremes). Seeds: the bundled scenarios (the fuzzer saves any
// failing input in testdata/fuzz/FuzzRun). Run it with
//
//	go test -run '^$' -fuzz FuzzRun -fuzztime 5m -parallel 1 ./report/
func FuzzRun(f *testing.F) {
	for _, name := range scenarios.Names() {
		src, err := scenarios.Source(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scenarios.Parse("fuzz.yaml", data)
		if err != nil {
			return // FuzzParse's concern
		}
		if err := runsToAnEnd(sc); err != nil {
			t.Fatal(err)
		}
	})
}
