package sim

// Kinds lists every kind of change, as Change.Kind returns them, so that
// the code that logs and replays changes can check that it knows each.
func Kinds() []string {
	return []string{KindTmax, KindFloor, KindAuction, KindIncrement, KindQPS, KindLatencyScale,
		KindLatency, KindBudget, KindStrategy, KindPacing, KindEnabled, KindMoveBudget, KindAbandonment, KindFrequencyCap, KindDaily}
}
