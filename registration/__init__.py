"""Anonymous contact registrations, conversation records and the reports made of them."""
