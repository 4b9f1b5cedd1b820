package main

// tuiWireHelp is the dashboard's help for the wire's flags.
const tuiWireHelp = `      --endpoints URL       run the dashboard on the wire: the exchange on the wall
                            clock, every bidder at URL/openrtb2/NAME (auctionsim
                            bidders); keys change the exchange's side (tmax, floor,
                            auction type, qps, whom it calls), not a bidder on the
                            wire; no pause, step or speed
      --endpoint NAME=URL   bidder NAME on the wire at URL (repeatable; the others
                            stay simulated, with the scenario's own endpoints);
                            a bidder's endpoint in the scenario puts the
                            dashboard on the wire by itself, as it does run
      --late-grace D        on the wire, keep each bid request open up to D past
                            its auction's deadline (default 500ms; the auction
                            still closes at it): an answer read then counts at
                            its measured time in the latencies and the tmax
                            curve, only a call never answered is censored
                            ("> T"); 0 cuts at the deadline, as Prebid Server does
      --no-notices          on the wire, send no win and loss notices
      --notices WHICH       on the wire: budget (default), all, win or none
`
