package cli

import (
	"flag"
	"fmt"
	"reflect"
)

// Repeatable is a flag.Value that collects every value it is given
// (--set, --change, --vary, cli.List): ParseFlags lets it repeat. Any
// other flag holds one value, and ParseFlags refuses a second, different
// one rather than keep the last silently (--step 10% --step 20%); the
// same value written twice, however (--duration 1.0s --duration 1s),
// loses nothing and passes.
type Repeatable interface {
	flag.Value
	Repeatable()
}

// onceState is what a FlagSet's single-value flags were given, shared by
// the wrappers of one FlagSet across ParseFlags calls (ParseInterleaved
// parses in several goes).
type onceState struct {
	given map[any]given // what each flag was given, by onceValue.key
	twice error         // the first flag given twice, for ParseFlags to report
}

// given is a flag's value as it was written and as its Value parsed it
// (its String()).
type given struct{ text, value string }

// onceValue wraps a single-value flag's Value to refuse a second,
// different value. A flag and its alias (-s, --scenario) share one key.
type onceValue struct {
	flag.Value
	key   any    // the Value wrapped, or the flag's name when not comparable
	name  string // as the help spells it: "--step"
	state *onceState
}

func (o *onceValue) Set(s string) error {
	// Parsed first, to compare values, not texts: 1.0s and 1s, --json
	// and --json=1 are the same. A second, different value overwrites
	// the first here, but the parse fails on it.
	if err := o.Value.Set(s); err != nil {
		return err
	}
	v := o.Value.String()
	if v == "" {
		// A Value that does not say what it holds (flag.Func's): its
		// text is all there is to compare.
		v = s
	}
	if prev, ok := o.state.given[o.key]; ok && prev.value != v {
		// The same value twice loses nothing; two different ones would
		// keep the last without a word.
		o.state.twice = fmt.Errorf("%s is given twice (%s and %s): give it once", o.name, prev.text, s)
		return o.state.twice
	}
	o.state.given[o.key] = given{text: s, value: v}
	return nil
}

// onceBool is onceValue for a boolean flag, which the flag package lets
// stand alone (--json, not --json=true).
type onceBool struct{ *onceValue }

func (onceBool) IsBoolFlag() bool { return true }

// guardOnce wraps every single-value flag of fs in a onceValue (once:
// later calls find them wrapped) and returns their shared state.
func guardOnce(fs *flag.FlagSet) *onceState {
	var state *onceState
	fs.VisitAll(func(f *flag.Flag) {
		switch v := f.Value.(type) {
		case *onceValue:
			state = v.state
		case onceBool:
			state = v.state
		}
	})
	if state != nil {
		return state
	}
	state = &onceState{given: map[any]given{}}
	keyOf := func(f *flag.Flag) any {
		if reflect.TypeOf(f.Value).Comparable() {
			return f.Value
		}
		return f.Name
	}
	// A flag and its alias share a Value: name them by the longer name.
	names := map[any]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if k := keyOf(f); len(f.Name) > len(names[k]) {
			names[k] = f.Name
		}
	})
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(Repeatable); ok {
			return
		}
		k := keyOf(f)
		o := &onceValue{Value: f.Value, key: k, name: spelled(names[k]), state: state}
		if isBool(f) {
			f.Value = onceBool{o}
		} else {
			f.Value = o
		}
	})
	return state
}
