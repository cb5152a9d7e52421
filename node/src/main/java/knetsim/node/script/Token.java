package knetsim.node.script;

/** One token of a script step; {@code column} is 1-based, for error messages. */
record Token(Kind kind, String text, int column) {
    enum Kind { IDENT, NUMBER, ADDRESS, DURATION, STRING, LPAREN, RPAREN, COMMA, EQUALS, BAR, LBRACE, RBRACE, COLON, MINUS, END }

    @Override
    public String toString() {
        return kind == Kind.END ? "the end of the step" : "\"" + text + "\"";
    }
}
