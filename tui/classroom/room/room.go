// Package room is a shared auction room for a classroom: students take
// seats at one seat.Table, each round closes when every seated student has
// bid or the round's timer runs out, and a leaderboard keeps everyone's
// surplus.
//
// One goroutine owns the room's state; students (Players) and the trainer
// (Watch) talk to it over channels, so a Room is safe for concurrent use.
// Each subscriber gets the latest state on a channel of one: a slow
// screen skips states rather than holding the room up.
package room

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// ErrFull is Join's answer when every seat is taken.
var ErrFull = errors.New("the room is full")

// ErrClosed is the answer of a room that has stopped.
var ErrClosed = errors.New("the room is closed")

// ErrNotYourTurn is Bid's answer when the player is not in the open
// round: it joined mid-round, has left, has already bid, or the round has
// closed.
var ErrNotYourTurn = errors.New("not bidding in this round")

// DefaultRound is the time to bid when Config.Round is zero.
const DefaultRound = 30 * time.Second

// MinTimeToBid is the least time to bid that serve's --round and play's
// --countdown take: a person needs about that to read a value and type a
// bid. Shorter, every round closes before anyone can bid, and a room with
// a seated student deals rounds as fast as it can (thousands a second).
// The room itself takes any time (tests use a fake clock).
const MinTimeToBid = time.Second

// RecentRounds is how many closed rounds a State carries.
const RecentRounds = 8

// RecentEvents is how many events a State carries.
const RecentEvents = 64

// EventKind is what happened in a room.
type EventKind uint8

// What happens in a room.
const (
	Joined      EventKind = iota // a student took a seat
	Left                         // a student left a seat
	RoundClosed                  // a round closed
	Kicked                       // the trainer freed a student's seat
	Paused                       // the trainer paused the room
	Resumed                      // the trainer resumed it
)

// Event is one thing that happened in a room, numbered from 1 in order.
type Event struct {
	Seq     uint64
	Kind    EventKind
	Seat    int    // Joined, Left
	Student string // Joined, Left
	Round   uint64 // RoundClosed
}

// MaxHistory bounds the rounds a room keeps for its export: days of a
// class at a round every few seconds, in about 10 MB.
const MaxHistory = 10_000

// Clock is the room's wall clock and Timer a timer it makes: the paced
// runner's, so that tests substitute both the same way.
type (
	Clock = runner.Clock
	Timer = runner.Timer
)

// Config configures a room.
type Config struct {
	Scenario string     // its name, for screens and the export
	Sim      sim.Config // the exchange's rules and the bidders
	// Seats is how many of the scenario's bidders, from the first, students
	// may take; the rest are always simulated. Zero: every bidder. A seat
	// nobody sits in bids by its bidder's scenario strategy.
	Seats int
	// Round is the time to bid, the classroom's tmax: a student who has not
	// bid when it runs out is late, as a slow S2S bidder is.
	Round time.Duration
	// Paused opens the room paused: no round is dealt until the trainer
	// resumes (or deals with Next), so that the first round waits for
	// the class, not for the first student to log in.
	Paused bool
	Clock  Clock // nil: the real clock
}

// Room is a shared auction room.
type Room struct {
	cfg   Config
	table *seat.Table
	clock Clock

	join    chan joinReq
	leave   chan *Player
	bid     chan bidReq
	watch   chan chan State
	unwatch chan chan State
	query   chan chan Session
	ctrl    chan ctrlReq
	done    chan struct{}
}

// ctrlReq is a trainer's command, run on the room's goroutine.
type ctrlReq struct {
	do    func(*state) error
	reply chan error
}

// ErrNoRound is the answer of a command that needs an open round when
// none is open.
var ErrNoRound = errors.New("no round is open")

// Player is one student's seat in a room. Its methods are safe to call
// from the student's session goroutine.
type Player struct {
	room    *Room
	Seat    int    // seat index
	Name    string // the student's name, as given to Join
	Bidder  string // the scenario bidder whose seat it is
	updates chan State
	left    chan struct{}
	kicked  bool // set by the room's goroutine before left closes
}

// Left is closed when the player's seat is freed: by Leave, by the trainer
// (Kicked then reports true) or when the room stops.
func (p *Player) Left() <-chan struct{} { return p.left }

// Kicked reports whether the trainer freed the seat; meaningful once Left
// is closed.
func (p *Player) Kicked() bool {
	select {
	case <-p.left:
		return p.kicked
	default:
		return false
	}
}

type joinReq struct {
	name  string
	reply chan joinReply
}

type joinReply struct {
	p   *Player
	err error
}

type bidReq struct {
	p     *Player
	round uint64
	bid   seat.Bid
	reply chan error
}

// New builds a room; Run runs it.
func New(cfg Config) (*Room, error) {
	n := len(cfg.Sim.Bidders)
	switch {
	case cfg.Seats < 0 || cfg.Seats > n:
		return nil, fmt.Errorf("room: %d seats, but the scenario has %d bidders", cfg.Seats, n)
	case cfg.Round < 0:
		return nil, fmt.Errorf("room: round time %v must be > 0", cfg.Round)
	}
	if cfg.Seats == 0 {
		cfg.Seats = n
	}
	if cfg.Round == 0 {
		cfg.Round = DefaultRound
	}
	if cfg.Clock == nil {
		cfg.Clock = runner.SystemClock()
	}
	seats := make([]int, cfg.Seats)
	for i := range seats {
		seats[i] = i
	}
	// The room deals from its own seed, derived from the scenario's: a
	// student who practised with `play` on the same seed must not know the
	// room's values.
	deal := cfg.Sim
	deal.Seed = DealSeed(cfg.Sim.Seed)
	tab, err := seat.New(deal, seats)
	if err != nil {
		return nil, fmt.Errorf("room: %w", err)
	}
	return &Room{
		cfg: cfg, table: tab, clock: cfg.Clock,
		join: make(chan joinReq), leave: make(chan *Player), bid: make(chan bidReq),
		watch: make(chan chan State), unwatch: make(chan chan State), query: make(chan chan Session),
		ctrl: make(chan ctrlReq), done: make(chan struct{}),
	}, nil
}

// DealSeed is the seed a room deals its values from, for a scenario seed:
// derived from it, so that rooms are reproducible yet never deal what
// `play` deals on the same seed.
func DealSeed(seed uint64) uint64 { return sim.NewStream(seed, "classroom/deal").Uint64() }

// Table is the room's table, for its rules and names. Only the room's
// goroutine deals and closes rounds at it.
func (r *Room) Table() *seat.Table { return r.table }

// Config is the room's configuration with defaults filled in.
func (r *Room) Config() Config { return r.cfg }

// Done is closed when Run has returned.
func (r *Room) Done() <-chan struct{} { return r.done }

// Join seats a student called name at the first free seat, or returns
// ErrFull. The student takes part from the next round that opens.
func (r *Room) Join(ctx context.Context, name string) (*Player, error) {
	req := joinReq{name: name, reply: make(chan joinReply, 1)}
	select {
	case r.join <- req:
	case <-r.done:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	rep := <-req.reply
	return rep.p, rep.err
}

// Room is the room the player sits in.
func (p *Player) Room() *Room { return p.room }

// Updates delivers the player's latest State after every change.
func (p *Player) Updates() <-chan State { return p.updates }

// Bid submits the player's bid for round, which must be the open round:
// a bid meant for a round that has closed never lands in the next one.
func (p *Player) Bid(round uint64, amount sim.Price) error {
	return p.send(round, seat.Bid{Amount: amount})
}

// Pass declines to bid in round, which must be the open round.
func (p *Player) Pass(round uint64) error { return p.send(round, seat.Bid{Pass: true}) }

func (p *Player) send(round uint64, b seat.Bid) error {
	req := bidReq{p: p, round: round, bid: b, reply: make(chan error, 1)}
	select {
	case p.room.bid <- req:
		return <-req.reply
	case <-p.left:
		return ErrNotYourTurn
	case <-p.room.done:
		return ErrClosed
	}
}

// Leave frees the player's seat. It is safe to call more than once.
func (p *Player) Leave() {
	select {
	case p.room.leave <- p:
		<-p.left
	case <-p.left:
	case <-p.room.done:
	}
}

// Watch subscribes to the room's state (the trainer's view): the current
// state at once, then the latest after every change. Cancel ctx to stop.
func (r *Room) Watch(ctx context.Context) <-chan State {
	ch := make(chan State, 1)
	select {
	case r.watch <- ch:
	case <-r.done:
		close(ch)
		return ch
	}
	go func() {
		select {
		case <-ctx.Done():
			select {
			case r.unwatch <- ch:
			case <-r.done:
			}
		case <-r.done:
		}
	}()
	return ch
}

// Session returns everything the room has played so far, for the export.
func (r *Room) Session(ctx context.Context) (Session, error) {
	ch := make(chan Session, 1)
	select {
	case r.query <- ch:
		return <-ch, nil
	case <-r.done:
		return Session{}, ErrClosed
	case <-ctx.Done():
		return Session{}, ctx.Err()
	}
}

// command runs do on the room's goroutine and returns its answer.
func (r *Room) command(ctx context.Context, do func(*state) error) error {
	req := ctrlReq{do: do, reply: make(chan error, 1)}
	select {
	case r.ctrl <- req:
		return <-req.reply
	case <-r.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Pause stops the room's clock: the open round's time stops running (it
// still closes early when everyone has bid, or by CloseNow), and no new
// round is dealt until Resume or Next.
func (r *Room) Pause(ctx context.Context) error {
	return r.command(ctx, func(s *state) error {
		if s.paused {
			return nil
		}
		s.paused = true
		if s.round != nil {
			s.left = max(s.deadline.Sub(r.clock.Now()), 0)
			if s.timer != nil {
				s.timer.Stop()
				s.timer = nil
			}
		}
		s.event(Event{Kind: Paused})
		return nil
	})
}

// Resume restarts the room's clock: the open round gets the time it had
// left when paused, and rounds are dealt again.
func (r *Room) Resume(ctx context.Context) error {
	return r.command(ctx, func(s *state) error {
		if !s.paused {
			return nil
		}
		r.resume(s)
		return nil
	})
}

func (r *Room) resume(s *state) {
	s.paused = false
	if s.round != nil {
		s.deadline = r.clock.Now().Add(s.left)
		s.timer = r.clock.NewTimer(s.left)
	}
	s.event(Event{Kind: Resumed})
}

// CloseNow closes the open round at once, as if its time had run out:
// students who have not bid are late. One frozen client need not hold a
// class up for the whole round. While paused, no next round is dealt.
func (r *Room) CloseNow(ctx context.Context) error {
	return r.command(ctx, func(s *state) error {
		if s.round == nil {
			return ErrNoRound
		}
		r.closeRound(s)
		return nil
	})
}

// Next closes the open round if there is one, lifts a pause and deals the
// next round (when a student is seated).
func (r *Room) Next(ctx context.Context) error {
	return r.command(ctx, func(s *state) error {
		r.closeRound(s)
		if s.paused {
			r.resume(s)
		}
		return nil
	})
}

// Kick frees the seat of the student called name, or of seat number name
// (from 1), and tells their screen. A bid they made stands; otherwise
// their seat bids by its strategy this round.
func (r *Room) Kick(ctx context.Context, name string) (student string, err error) {
	ev, err := r.KickSeat(ctx, name)
	return ev.Student, err
}

// KickSeat is Kick, which gives the Kicked event it recorded: the seat
// (an index, from 0) it freed, whom, and its place among the room's
// events (Seq), so that a screen can tell when that seat changes again.
func (r *Room) KickSeat(ctx context.Context, name string) (kicked Event, err error) {
	kicked.Seat = -1
	err = r.command(ctx, func(s *state) error {
		kick := func(p *Player) {
			p.kicked = true
			r.free(s, p)
			s.event(Event{Kind: Kicked, Seat: p.Seat, Student: p.Name})
			kicked = s.events[len(s.events)-1]
		}
		// The name as spelled first; else the one equal to it but for
		// case: a trainer types "zoë 日本" for "Zoë 日本" in a hurry. Two
		// such ("Ann" and "ANN" may both be seated) are not guessed at.
		var folded []*Player
		for _, st := range s.seats {
			p := st.player
			if p == nil {
				continue
			}
			if p.Name == name {
				kick(p)
				return nil
			}
			if strings.EqualFold(p.Name, name) {
				folded = append(folded, p)
			}
		}
		switch len(folded) {
		case 0:
		case 1:
			kick(folded[0])
			return nil
		default:
			names := make([]string, len(folded))
			for i, p := range folded {
				names[i] = fmt.Sprintf("%q (seat %d)", p.Name, p.Seat+1)
			}
			return fmt.Errorf("nobody is called %q as spelled, and %s differ from it only in capitals: type one as spelled, or the seat number",
				name, strings.Join(names, " and "))
		}
		var n int
		if _, err := fmt.Sscanf(name, "%d", &n); err == nil && fmt.Sprint(n) == name {
			// A number no student is called is a seat number: one the
			// room lacks is said to be so, not taken for a name.
			if n < 1 || n > len(s.seats) {
				return fmt.Errorf("there is no seat %d (%s)", n, seatRange(len(s.seats)))
			}
			if p := s.seats[n-1].player; p != nil {
				kick(p)
				return nil
			}
			return fmt.Errorf("seat %d is empty", n)
		}
		return fmt.Errorf("nobody called %q is seated", name)
	})
	return kicked, err
}

// seatRange names a room's seat numbers: "seats 1–5", or "seat 1 only".
func seatRange(n int) string {
	if n == 1 {
		return "seat 1 only"
	}
	return fmt.Sprintf("seats 1–%d", n)
}

// SetReveal turns the reveal on or off: with it on, students see every
// bidder's value and bid after each round, as the trainer always does.
func (r *Room) SetReveal(ctx context.Context, on bool) error {
	return r.command(ctx, func(s *state) error {
		s.reveal = on
		return nil
	})
}

// seatState is one seat as the room's goroutine sees it.
type seatState struct {
	player *Player
	// inRound: the player was seated when the open round was dealt and
	// takes part in it.
	inRound bool
	bid     *seat.Bid
	by      string // who made bid
	// gone is the student who left the open round before bidding (not
	// kicked): the seat bids by its strategy unless they come back to it
	// before the round closes, when it is theirs again (seatStudent).
	gone string
}

// state is the room's goroutine's own state.
type state struct {
	seats    []seatState
	round    *seat.Round
	deadline time.Time
	timer    Timer
	history  []RoundRecord
	students map[string]*Standing // by name, kept when they leave
	order    []string             // names in order of first joining
	watchers map[chan State]bool
	dropped  int // rounds left out of history beyond MaxHistory
	events   []Event
	seq      uint64
	paused   bool
	left     time.Duration // the open round's time left when paused
	reveal   bool
}

func (s *state) event(e Event) {
	s.seq++
	e.Seq = s.seq
	if len(s.events) >= RecentEvents {
		s.events = append(s.events[:0], s.events[1:]...)
	}
	s.events = append(s.events, e)
}

// Run runs the room until ctx is cancelled. Rounds are dealt only while
// at least one student is seated.
func (r *Room) Run(ctx context.Context) {
	defer close(r.done)
	s := &state{
		seats:    make([]seatState, r.table.Seats()),
		students: map[string]*Standing{},
		watchers: map[chan State]bool{},
		paused:   r.cfg.Paused,
	}
	defer func() {
		if s.timer != nil {
			s.timer.Stop()
		}
		for _, st := range s.seats {
			if st.player != nil {
				close(st.player.left)
			}
		}
	}()
	for {
		var timeout <-chan time.Time
		if s.timer != nil {
			timeout = s.timer.C()
		}
		select {
		case <-ctx.Done():
			return
		case req := <-r.join:
			p, err := r.seatStudent(s, req.name)
			req.reply <- joinReply{p, err}
		case p := <-r.leave:
			r.free(s, p)
		case req := <-r.bid:
			req.reply <- r.takeBid(s, req.p, req.round, req.bid)
		case ch := <-r.watch:
			s.watchers[ch] = true
		case ch := <-r.unwatch:
			delete(s.watchers, ch)
		case ch := <-r.query:
			ch <- r.session(s)
			continue
		case req := <-r.ctrl:
			req.reply <- req.do(s)
		case <-timeout:
			s.timer = nil
			r.closeRound(s)
		}
		if s.round == nil && !s.paused && r.seated(s) > 0 {
			r.deal(s)
		}
		r.publish(s)
	}
}

func (r *Room) seated(s *state) int {
	n := 0
	for _, st := range s.seats {
		if st.player != nil {
			n++
		}
	}
	return n
}

func (r *Room) seatStudent(s *state, name string) (*Player, error) {
	name = s.known(name)
	// Two students connected under one name (a shared lab account), or
	// under names equal but for capitals, get distinct names: the first
	// spelling with "-2", "-3", so neither can be taken for the other and
	// each comes back to their own standing.
	if sd, ok := s.students[name]; ok && sd.Connected > 0 {
		base := name
		for k := 2; ; k++ {
			name = s.known(fmt.Sprintf("%s-%d", base, k))
			if sd, ok := s.students[name]; !ok || sd.Connected == 0 {
				break
			}
		}
	}
	// A student who dropped out of the open round before bidding (a
	// connection lost) comes back to it in their own seat, their value
	// the one they saw, rather than waiting for the next round.
	back := -1
	for i, st := range s.seats {
		if st.player == nil && s.round != nil && st.gone == name {
			back = i
		}
	}
	for i := range s.seats {
		if back >= 0 && i != back || s.seats[i].player != nil {
			continue
		}
		p := &Player{
			room: r, Seat: i, Name: name, Bidder: r.table.Name(r.table.SeatBidder(i)),
			updates: make(chan State, 1), left: make(chan struct{}),
		}
		// A bid made by someone who has left stands for the open round.
		s.seats[i] = seatState{player: p, bid: s.seats[i].bid, by: s.seats[i].by}
		if i == back {
			s.seats[i] = seatState{player: p, inRound: true} // the strategy's stand-in bid withdrawn
		}
		if _, ok := s.students[name]; !ok {
			s.students[name] = &Standing{Name: name}
			s.order = append(s.order, name)
		}
		s.students[name].Connected++
		s.event(Event{Kind: Joined, Seat: i, Student: name})
		return p, nil
	}
	return nil, ErrFull
}

// known is name as the room first knew it, whatever its capitals: names
// are one student's whatever their case ("carol" comes back to
// "Carol"'s standing, as Kick takes any capitals), so no two standings
// differ only in case and a returning student has one standing to find.
func (s *state) known(name string) string {
	if _, ok := s.students[name]; ok {
		return name
	}
	for _, n := range s.order {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return name
}

// free empties p's seat. A bid already made stands; otherwise the seat
// bids by its strategy this round, and the round stops waiting for it.
func (r *Room) free(s *state, p *Player) {
	st := &s.seats[p.Seat]
	if st.player != p {
		return
	}
	s.students[p.Name].Connected--
	close(p.left)
	s.event(Event{Kind: Left, Seat: p.Seat, Student: p.Name})
	dealt := st.inRound
	*st = seatState{bid: st.bid, by: st.by}
	if st.bid == nil && s.round != nil {
		st.bid = &seat.Bid{Auto: true}
		if dealt && !p.kicked {
			st.gone = p.Name
		}
	}
	r.closeIfAllBid(s)
}

func (r *Room) takeBid(s *state, p *Player, round uint64, b seat.Bid) error {
	st := &s.seats[p.Seat]
	switch {
	case st.player != p, s.round == nil, s.round.Number != round, !st.inRound, st.bid != nil:
		return ErrNotYourTurn
	case b.Amount < 0:
		return fmt.Errorf("a bid cannot be negative")
	}
	if !b.Pass && !s.paused && !r.clock.Now().Before(s.deadline) {
		// The timer has not been seen yet, but the deadline has passed: a
		// bid is late. A pass stays a pass (it declined; nothing was lost).
		b.Late = true
	}
	st.bid, st.by = &b, p.Name
	r.closeIfAllBid(s)
	return nil
}

func (r *Room) closeIfAllBid(s *state) {
	if s.round == nil {
		return
	}
	for _, st := range s.seats {
		if st.player != nil && st.inRound && st.bid == nil {
			return
		}
	}
	r.closeRound(s)
}

func (r *Room) deal(s *state) {
	s.round = r.table.Deal()
	for i := range s.seats {
		st := &s.seats[i]
		st.bid, st.by, st.gone = nil, "", ""
		st.inRound = st.player != nil
	}
	s.deadline = r.clock.Now().Add(r.cfg.Round)
	s.timer = r.clock.NewTimer(r.cfg.Round)
}

// closeRound settles the open round: seats without a bid are late if a
// student sits there, and bid by their strategy if nobody does.
func (r *Room) closeRound(s *state) {
	if s.round == nil {
		return
	}
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	bids := make([]seat.Bid, len(s.seats))
	who := make([]string, len(s.seats))
	for i, st := range s.seats {
		switch {
		case st.bid != nil:
			bids[i] = *st.bid
			if !st.bid.Auto {
				who[i] = st.by
			}
		case st.player != nil && st.inRound:
			bids[i] = seat.Bid{Late: true, None: true} // too slow: no bid came
			who[i] = st.player.Name
		default:
			bids[i] = seat.Bid{Auto: true}
		}
	}
	res, err := r.table.Close(s.round, bids)
	s.round = nil
	if err != nil {
		return // cannot happen: one close per dealt round, one bid per seat
	}
	rec := RoundRecord{Result: res, Students: who}
	for i, o := range res.Seats {
		if who[i] == "" {
			continue
		}
		s.students[who[i]].Add(o)
	}
	if len(s.history) >= MaxHistory {
		s.history = s.history[1:]
		s.dropped++
	}
	s.history = append(s.history, rec)
	s.event(Event{Kind: RoundClosed, Round: res.Number})
	for i := range s.seats {
		s.seats[i].bid, s.seats[i].by, s.seats[i].inRound, s.seats[i].gone = nil, "", false, ""
	}
}

// publish sends every student and watcher the latest state. The room's
// state is built once and shared (subscribers only read it); each student's
// adds only their own part.
func (r *Room) publish(s *state) {
	v := r.baseState(s)
	for i, st := range s.seats {
		if st.player == nil {
			continue
		}
		send(st.player.updates, r.studentState(s, i, v))
	}
	for ch := range s.watchers {
		send(ch, v)
	}
}

// send replaces whatever ch holds with v: subscribers want the latest.
func send(ch chan State, v State) {
	select {
	case <-ch:
	default:
	}
	select {
	case ch <- v:
	default:
	}
}

// Standing is one student's running totals, over the rounds they played,
// beside what bidding their value would have earned on the same rounds.
type Standing struct {
	Name      string
	Connected int // open sessions under this name
	seat.Totals
}

// RoundRecord is one closed round with who sat at each seat ("" for a
// seat bid by its strategy).
type RoundRecord struct {
	Result   *seat.Result
	Students []string
}

// SeatView is one seat as screens show it.
type SeatView struct {
	Bidder  string
	Student string // "" when nobody sits there
	Waiting bool   // seated, not yet in a round
	Bid     bool   // has bid in the open round (the amount stays secret until it closes)
	Passed  bool   // of Bid: the answer is a pass
}

// State is what a screen shows. Values and bids of an open round are
// never in it, except the student's own value in You.
type State struct {
	Scenario string
	Rules    Rules
	Round    uint64    // the open round's number; 0 when none is open
	Deadline time.Time // when the open round closes
	Seats    []SeatView
	InRound  int          // students in the open round (seated, not waiting)
	BidsIn   int          // of them, those who have bid
	Last     *RoundRecord // the last closed round
	// Recent are the last closed rounds, oldest first, up to RecentRounds:
	// a subscriber that skipped states still sees every recent round.
	Recent []RoundRecord
	// Events are the room's last events, oldest first, up to RecentEvents,
	// for a log that must not miss a join that a skipped state held.
	Events []Event
	Rounds uint64     // rounds closed so far
	Board  []Standing // by surplus, highest first
	// Paused: the trainer stopped the clock; Left is then the open round's
	// time left.
	Paused bool
	Left   time.Duration
	// Reveal: students are shown every bidder's value and bid once a round
	// closes (Last holds them; screens decide what to show).
	Reveal bool
	You    *You // for a student; nil for the trainer
}

// Rules are the room's auction rules.
type Rules struct {
	Auction   sim.AuctionType
	Floor     sim.Price
	Increment sim.Price
	Round     time.Duration
	// Slots are the ad positions' click-through weights, best first; nil
	// for a single item.
	Slots []float64
}

// You is a student's own part of the state.
type You struct {
	Seat    int
	Bidder  string
	Name    string
	InRound bool      // bidding in the open round
	Value   sim.Price // private value in the open round, if InRound
	HasBid  bool
	Last    *seat.Outcome // own outcome in the last closed round, if in it
	Totals  seat.Totals
}

func (r *Room) baseState(s *state) State {
	v := State{
		Scenario: r.cfg.Scenario,
		Rules: Rules{Auction: r.table.Auction(), Floor: r.table.Floor(), Slots: r.table.Slots(),
			Increment: r.table.Increment(), Round: r.cfg.Round},
		Seats:  make([]SeatView, len(s.seats)),
		Rounds: uint64(len(s.history) + s.dropped),
		Paused: s.paused, Left: s.left, Reveal: s.reveal,
	}
	if s.round != nil {
		v.Round, v.Deadline = s.round.Number, s.deadline
	}
	for i, st := range s.seats {
		sv := SeatView{Bidder: r.table.Name(r.table.SeatBidder(i))}
		if st.player != nil {
			sv.Student = st.player.Name
			sv.Waiting = !st.inRound
			sv.Bid = st.bid != nil
			sv.Passed = sv.Bid && st.bid.Pass
			if !sv.Waiting {
				v.InRound++
			}
			if sv.Bid {
				v.BidsIn++
			}
		}
		v.Seats[i] = sv
	}
	if n := len(s.history); n > 0 {
		last := s.history[n-1]
		v.Last = &last
		v.Recent = append([]RoundRecord(nil), s.history[max(0, n-RecentRounds):]...)
	}
	v.Events = append([]Event(nil), s.events...)
	for _, name := range s.order {
		v.Board = append(v.Board, *s.students[name])
	}
	sort.SliceStable(v.Board, func(a, b int) bool { return v.Board[a].Surplus > v.Board[b].Surplus })
	return v
}

// studentState is v, the room's state, as seat i's student sees it.
func (r *Room) studentState(s *state, i int, v State) State {
	st := s.seats[i]
	y := &You{
		Seat: i, Bidder: v.Seats[i].Bidder, Name: st.player.Name,
		InRound: st.inRound && s.round != nil, HasBid: st.bid != nil,
		Totals: s.students[st.player.Name].Totals,
	}
	if y.InRound {
		y.Value = s.round.Value(r.table, i)
	}
	if v.Last != nil && v.Last.Students[i] == st.player.Name {
		o := v.Last.Result.Seats[i]
		y.Last = &o
	}
	v.You = y
	return v
}

// Session is everything a room has played, for the export.
type Session struct {
	Scenario string
	Seed     uint64
	DealSeed uint64 // the seed the values were dealt from
	Rules    Rules
	Seats    []string // the bidder of each seat
	Bidders  []string // every bidder's name, by bidder index
	Dropped  int      // earliest rounds left out beyond MaxHistory
	Rounds   []RoundRecord
	Board    []Standing
}

func (r *Room) session(s *state) Session {
	v := r.baseState(s)
	names := make([]string, len(v.Seats))
	for i, sv := range v.Seats {
		names[i] = sv.Bidder
	}
	all := make([]string, r.table.Bidders())
	for i := range all {
		all[i] = r.table.Name(i)
	}
	return Session{
		Scenario: r.cfg.Scenario, Seed: r.cfg.Sim.Seed, DealSeed: DealSeed(r.cfg.Sim.Seed), Rules: v.Rules, Seats: names, Bidders: all,
		Dropped: s.dropped, Rounds: append([]RoundRecord(nil), s.history...), Board: v.Board,
	}
}
