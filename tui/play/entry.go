package play

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/sim"
)

// SeatKeys are the keys of a seat's bid entry.
type SeatKeys struct {
	Submit, Pass, Help, Quit key.Binding
}

// ShortHelp is the seat's keys in one line.
func (k SeatKeys) ShortHelp() []key.Binding { return []key.Binding{k.Submit, k.Pass, k.Quit, k.Help} }

// FullHelp is the seat's keys in columns.
func (k SeatKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Submit, k.Pass}, {k.Help, k.Quit}}
}

// Entry is a seat's bid entry, what the play screen and a classroom
// student's screen share: the bid field, the help line, and the keys to
// bid, pass, ask for help and leave, with what each does.
type Entry struct {
	Keys  SeatKeys
	Help  help.Model
	Input textinput.Model
}

// NewEntry is a bid entry styled through r (nil: the default renderer);
// leave is what the quit key's help calls it ("quit", "leave").
func NewEntry(r *lipgloss.Renderer, leave string) Entry {
	return Entry{
		Keys: SeatKeys{
			Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "bid")),
			Pass:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pass")),
			Help:   key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
			Quit:   key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", leave)),
		},
		Help:  NewHelp(r),
		Input: NewInput(r),
	}
}

// Init starts the field's cursor blinking.
func (e *Entry) Init() tea.Cmd { return textinput.Blink }

// Act is what a message asks of a seat's screen.
type Act uint8

// The acts, in Entered.
const (
	Nothing Act = iota // the entry took the message, or it was not a key
	Leave              // the quit key
	Pass               // the pass key, while bidding
	Bid                // the submit key on a field that reads as a bid
	Unread             // the submit key on a field that does not
	Other              // another key while not bidding: the screen's own
)

// Entered is what a message asked of a seat's screen.
type Entered struct {
	Act Act
	Bid sim.Price // with Bid
	Err error     // with Unread: why the field does not read as a bid
}

// Update handles msg for a seat that is bidding or not: the window's
// width (for the help line), the quit and help keys whenever, pass and
// submit while bidding; another key while bidding, and any message that
// is not a key, goes to the field.
func (e *Entry) Update(msg tea.Msg, bidding bool) (Entered, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		e.Help.Width = msg.Width
		return Entered{}, nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, e.Keys.Quit):
			return Entered{Act: Leave}, nil
		case key.Matches(msg, e.Keys.Help):
			e.Help.ShowAll = !e.Help.ShowAll
			return Entered{}, nil
		case !bidding:
			return Entered{Act: Other}, nil
		case key.Matches(msg, e.Keys.Pass):
			return Entered{Act: Pass}, nil
		case key.Matches(msg, e.Keys.Submit):
			bid, err := ParseBid(e.Input.Value())
			if err != nil {
				return Entered{Act: Unread, Err: err}, nil
			}
			return Entered{Act: Bid, Bid: bid}, nil
		}
	}
	var cmd tea.Cmd
	e.Input, cmd = e.Input.Update(msg)
	return Entered{}, cmd
}
