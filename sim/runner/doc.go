// Package runner drives a sim.Engine for people: the paced run behind the
// dashboard (Runner) and the headless run behind `auctionsim run`
// (Headless). Both run the engine in slices of events rather than of
// auctions or virtual time, and look at their commands (or their context)
// between slices, so a key or Ctrl-C acts within a slice's wall time
// whatever the scenario, even one whose auctions close hours of events
// apart.
//
// A Runner owns one engine on its own goroutine. It paces the engine
// against a Clock by a speed factor (0.01× to 1024×, or as fast as it
// goes), applies commands between slices (pause, speed, one auction, live
// changes, restart with replay, another world) and publishes Frames:
// immutable snapshots with the runner's state, newest wins, each saying
// which commands it already reflects (Ack). A paused runner blocks on its
// channel and uses no CPU. A panic on the runner's goroutine ends the
// runner and is kept for its owner (Err), which can restore the terminal
// before reporting it.
//
// Forked (the Fork command), a Runner runs two engines, the baseline A and
// an exact clone B, in lock-step over the same virtual intervals, in the
// same slices, at the same pace: B runs first, never past the next paired
// interval's boundary, the world's stop or the pacing target, then A to
// where B stands. Changes go to B; frames carry A's snapshot and the
// paired differences B − A (Frame.Fork); Unfork keeps B.
//
// The package depends on sim only: a world is a sim.Config, a sim.Stop and
// a name, however it was loaded.
package runner
