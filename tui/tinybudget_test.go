package tui

import (
	"strings"
	"testing"
)

// TestBudgetBelowMoney: a total budget typed above 0 but below the
// smallest amount of money (1e-10) would be set as none at all; the form
// refuses it naming the smallest, as a file does, and keeps the smallest.
func TestBudgetBelowMoney(t *testing.T) {
	f := newBudgetForm(&Context{}, false, 1e-10)
	if _, err := f.amount(); err == nil || !strings.Contains(err.Error(), "0.0000000001 is less than the smallest amount of currency, 0.000000001") {
		t.Errorf("1e-10: %v", err)
	}
	f = newBudgetForm(&Context{}, false, 1e-9)
	if x, err := f.amount(); err != nil || x != 1e-9 {
		t.Errorf("1e-9: %v %v", x, err)
	}
}
