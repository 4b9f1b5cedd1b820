package experiment

import (
	"strings"
	"testing"
)

// TestParseVary checks a --vary list and range, and the texts refused
// with what to write.
func TestParseVary(t *testing.T) {
	v, err := ParseVary(" exchange.floor =0..0.5:0.25")
	if err != nil || v.Path != "exchange.floor" || strings.Join(v.Values, ",") != "0.00,0.25,0.50" {
		t.Errorf("range: %+v %v", v, err)
	}
	v, err = ParseVary("bidders.x.value={a: 1, b: 2},{a: 3}")
	if err != nil || len(v.Values) != 2 || v.Values[0] != "{a: 1, b: 2}" {
		t.Errorf("list: %+v %v", v, err)
	}
	for text, want := range map[string]string{
		"exchange.floor":             "--vary exchange.floor: want PATH=V1,V2,... or PATH=LO..HI:STEP",
		"=1,2":                       "want PATH=V1,V2",
		"exchange.floor=":            "want PATH=V1,V2",
		"exchange.floor=a..b:1":      "--vary exchange.floor=a..b:1: ",
		"exchange.floor=0..2:0.0001": "the range has 20001 values, more than 10000",
		// Not a 300-digit count, nor +Inf.
		"exchange.floor=0..1:1e-300":          "the range has more than 10¹⁵ values, more than 10000",
		"exchange.floor=-1e308..1e308:1e-300": "the range has more than 10¹⁵ values, more than 10000",
	} {
		if _, err := ParseVary(text); err == nil || !strings.HasPrefix(err.Error(), want) && !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", text, err, want)
		}
	}
}
