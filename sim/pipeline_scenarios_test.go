package sim_test

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestPipelineBundledScenarios runs every bundled scenario, its script
// included (timeout-story's changes metro's latency mid-run), to its stop
// or a number of auctions, once with the draw pipeline on and once
// without: the snapshots, every output of a run, are byte-identical, at
// an intermediate point and at the end.
func TestPipelineBundledScenarios(t *testing.T) {
	limit := uint64(150_000)
	if testing.Short() {
		limit = 10_000 // under -race; the long tier runs 150,000
	}
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Bundled(name)
			if err != nil {
				t.Fatal(err)
			}
			stop := sc.Stop
			if stop.Auctions == 0 || stop.Auctions > limit {
				stop.Auctions = limit
			}
			half := stop
			half.Auctions /= 2
			half.Duration /= 2
			run := func(piped bool) (mid, end *sim.Snapshot) {
				e, err := sim.New(sc.Config)
				if err != nil {
					t.Fatal(err)
				}
				if piped {
					e.StartPipeline()
					defer e.StopPipeline()
				}
				snap := e.Snapshot
				for !e.RunStop(half, 1<<16) {
				}
				mid = snap()
				for !e.RunStop(stop, 1<<16) {
				}
				return mid, snap()
			}
			mid, end := run(false)
			pmid, pend := run(true)
			if err := sameBits(reflect.ValueOf(mid), reflect.ValueOf(pmid), "snapshot"); err != nil {
				t.Errorf("halfway, the pipelined run differs from the one-core run: %v", err)
			}
			if err := sameBits(reflect.ValueOf(end), reflect.ValueOf(pend), "snapshot"); err != nil {
				t.Errorf("at the stop, the pipelined run differs from the one-core run: %v", err)
			}
		})
	}
}

// sameBits compares a and b field by field, floats by their bits (a NaN,
// which a snapshot may hold and JSON cannot, equals itself), and names the
// first difference.
func sameBits(a, b reflect.Value, path string) error {
	if a.Kind() != b.Kind() || a.Type() != b.Type() {
		return fmt.Errorf("%s: %v against %v", path, a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		if math.Float64bits(a.Float()) != math.Float64bits(b.Float()) {
			return fmt.Errorf("%s: %v against %v", path, a.Float(), b.Float())
		}
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: nil against not", path)
			}
			return nil
		}
		return sameBits(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			if err := sameBits(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: length %d against %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if err := sameBits(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: %d keys against %d", path, a.Len(), b.Len())
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Errorf("%s[%v]: missing", path, k)
			}
			if err := sameBits(a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k)); err != nil {
				return err
			}
		}
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return fmt.Errorf("%s: a %v cannot be compared", path, a.Kind())
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Errorf("%s: %q against %q", path, a.String(), b.String())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return fmt.Errorf("%s: %v against %v", path, a.Bool(), b.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return fmt.Errorf("%s: %d against %d", path, a.Int(), b.Int())
		}
	default: // unsigned integers
		if a.Uint() != b.Uint() {
			return fmt.Errorf("%s: %d against %d", path, a.Uint(), b.Uint())
		}
	}
	return nil
}
