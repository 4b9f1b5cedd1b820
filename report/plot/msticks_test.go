package plot

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestMsTicks: the wait panel's axis (and tmax's) is labelled at whole
// ms, 1, 2 or 5 times a power of ten, where the range allows: gonum's
// default stepped a wait of up to 270 ms by 250 and labelled it "0.00",
// "250.00". A range under a few ms takes the decimals it needs.
func TestMsTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   []string
	}{
		{0, 270, []string{"0", "100", "200"}},
		{0, 540, []string{"0", "200", "400"}},
		{0, 5400, []string{"0", "2000", "4000"}},
		{0, 194.4, []string{"0", "50", "100", "150"}},
		{20, 400, []string{"100", "200", "300", "400"}},
		{0, 1.08, []string{"0", "0.5", "1"}},
		{0, 0.3, []string{"0", "0.1", "0.2", "0.3"}},
	}
	for _, tc := range cases {
		var got []string
		for _, tk := range (niceTicks{}).Ticks(tc.lo, tc.hi) {
			if tk.Value < tc.lo || tk.Value > tc.hi {
				t.Errorf("%v–%v: a tick at %v, outside", tc.lo, tc.hi, tk.Value)
			}
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%v–%v: labels %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

// TestWaitPanelWholeMs draws a run whose wait reaches 250 ms: the wait
// panel's labels are whole ms, none with decimals.
func TestWaitPanelWholeMs(t *testing.T) {
	r := sampleRun()
	for i := range r.Tmax.WaitP95MS {
		r.Tmax.WaitP95MS[i] = min(r.Tmax.TmaxMS[i], 250)
	}
	c, err := RunChart(r)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgText(t, c)
	for _, bad := range []string{">0.00<", ">250.00<", ">100.00<"} {
		if strings.Contains(svg, bad) {
			t.Errorf("the plot labels %s", strings.Trim(bad, "<>"))
		}
	}
	if !strings.Contains(svg, ">200</text>") {
		t.Error("no whole-ms label 200")
	}
}

// TestEveryAxisNiceTicks: every panel's axes, not only the ones in ms,
// are labelled at 1, 2 or 5 × 10ⁿ with the digits each needs: the sample
// run with its revenue scaled to 0–5.4 CPM reads 0, 2, 4, not gonum's
// "0.0", "2.5", "5.0" (a label with a trailing zero after its point never
// comes from niceTicks).
func TestEveryAxisNiceTicks(t *testing.T) {
	r := sampleRun()
	for i := range r.Tmax.RevenuePerAuction {
		r.Tmax.RevenuePerAuction[i] *= 1.8
		r.Tmax.NetRevenuePerAuction[i] *= 1.8
	}
	for i := range r.Series.RevenuePerAuction {
		r.Series.RevenuePerAuction[i] *= 1.8
	}
	c, err := RunChart(r)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgText(t, c)
	if m := regexp.MustCompile(`>-?\d+\.\d*0</text>`).FindAllString(svg, -1); len(m) > 0 {
		t.Errorf("labels with a trailing zero, gonum's default ticks: %q", m)
	}
	for _, want := range []string{">0</text>", ">2</text>", ">4</text>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("no label %s", strings.TrimSuffix(strings.TrimPrefix(want, ">"), "</text>"))
		}
	}
}
