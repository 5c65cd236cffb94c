-- Nothing but comments and blank lines.

/* still nothing */
