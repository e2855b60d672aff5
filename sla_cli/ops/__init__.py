"""What the commands do: each operation loads the facts from the store, lets the domain's
rules decide, and saves what they decided, in the session it is given. The CLI opens the
ledger, calls one operation and prints its result."""
