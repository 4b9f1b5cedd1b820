package cli

import (
	"flag"
	"fmt"
	"reflect"
)

// Repeatable is a flag.Value that collects every value it is given
// (--set, --change, --vary, cli.List): ParseFlags lets it repeat. Any
// other flag holds one value, and ParseFlags refuses a second, different
// one rather than keep the last silently (--step 10% --step 20%).
type Repeatable interface {
	flag.Value
	Repeatable()
}

// onceState is what a FlagSet's single-value flags were given, shared by
// the wrappers of one FlagSet across ParseFlags calls (ParseInterleaved
// parses in several goes).
type onceState struct {
	given map[any]string // the text each flag was given, by onceValue.key
	twice error          // the first flag given twice, for ParseFlags to report
}

// onceValue wraps a single-value flag's Value to refuse a second,
// different value. A flag and its alias (-s, --scenario) share one key.
type onceValue struct {
	flag.Value
	key   any    // the Value wrapped, or the flag's name when not comparable
	name  string // as the help spells it: "--step"
	state *onceState
}

func (o *onceValue) Set(s string) error {
	if prev, ok := o.state.given[o.key]; ok && prev != s {
		// The same text twice loses nothing; two different ones would
		// keep the last without a word.
		o.state.twice = fmt.Errorf("%s is given twice (%s and %s): give it once", o.name, prev, s)
		return o.state.twice
	}
	if err := o.Value.Set(s); err != nil {
		return err
	}
	o.state.given[o.key] = s
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
	state = &onceState{given: map[any]string{}}
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
		name := "--" + names[k]
		if len([]rune(names[k])) == 1 {
			name = "-" + names[k]
		}
		o := &onceValue{Value: f.Value, key: k, name: name, state: state}
		if isBool(f) {
			f.Value = onceBool{o}
		} else {
			f.Value = o
		}
	})
	return state
}
