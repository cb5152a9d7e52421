package knetsim.node.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a step into tokens: identifiers, numbers (decimal or 0x hex), dotted IPv4 addresses, durations
 * (a number with ns, us, ms or s), double-quoted strings and the punctuation {@code ( ) , = | { } : -}.
 */
final class Lexer {
    private Lexer() {}

    /** The tokens, ending with END; a character that starts no token is a {@link ScriptSyntaxException}. */
    static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0, n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int col = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) j++;
                out.add(new Token(Token.Kind.IDENT, text.substring(i, j), col));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '.')) j++;
                out.add(number(text.substring(i, j), col));
                i = j;
            } else if (c == '"') {
                int j = text.indexOf('"', i + 1);
                if (j < 0) throw new ScriptSyntaxException(col, "a string that is not closed with \"");
                out.add(new Token(Token.Kind.STRING, text.substring(i + 1, j), col));
                i = j + 1;
            } else {
                Token.Kind kind = switch (c) {
                    case '(' -> Token.Kind.LPAREN;
                    case ')' -> Token.Kind.RPAREN;
                    case ',' -> Token.Kind.COMMA;
                    case '=' -> Token.Kind.EQUALS;
                    case '|' -> Token.Kind.BAR;
                    case '{' -> Token.Kind.LBRACE;
                    case '}' -> Token.Kind.RBRACE;
                    case ':' -> Token.Kind.COLON;
                    case '-' -> Token.Kind.MINUS;
                    default -> throw new ScriptSyntaxException(col, "unexpected character '" + c + "'");
                };
                out.add(new Token(kind, String.valueOf(c), col));
                i++;
            }
        }
        out.add(new Token(Token.Kind.END, "", n + 1));
        return out;
    }

    // 42, 0x2a, 10.0.0.2, 200ms, 1.5s
    private static Token number(String word, int col) {
        if (word.matches("[0-9]+") || word.matches("0[xX][0-9a-fA-F]+")) return new Token(Token.Kind.NUMBER, word, col);
        if (word.matches("[0-9]+(\\.[0-9]+){3}")) return new Token(Token.Kind.ADDRESS, word, col);
        if (word.matches("[0-9]+(\\.[0-9]+)?(ns|us|ms|s)")) return new Token(Token.Kind.DURATION, word, col);
        if (word.matches("[0-9]+(\\.[0-9]+)?[a-zA-Z]+")) {
            throw new ScriptSyntaxException(col, "bad duration \"" + word + "\", expected a number with ns, us, ms or s like 200ms");
        }
        throw new ScriptSyntaxException(col, "bad number \"" + word + "\"");
    }
}
