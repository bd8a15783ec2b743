package dev.verist.storage.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The kernel's {@code stableStringify}: JavaScript {@code JSON.stringify} with every object's keys sorted,
 * reproduced byte for byte, and the dedupe key hashed from it. A command's dedupe key
 * is shared with the TypeScript store through the outbox's unique index, so one differing byte would let
 * the same command be written twice.
 */
public final class CanonicalJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** 2^53: below it every integer is exactly a double and JavaScript prints its plain digits. */
    private static final long TWO_POW_53 = 1L << 53;

    /** The largest canonical array index; JavaScript enumerates such keys first, in numeric order. */
    private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

    private static final Comparator<String> KEY_ORDER = CanonicalJson::compareKeys;

    private CanonicalJson() {
    }

    /**
     * The canonical JSON text of {@code tree}, exactly as the TypeScript reference emits it: no whitespace,
     * keys ordered as JavaScript enumerates a sorted object, numbers as JavaScript doubles.
     *
     * @param tree null, Boolean, String, Number, {@code Map<String, ?>} (null values kept) or {@code List<?>}
     * @throws IllegalArgumentException if the tree holds any other type or a non-String map key
     */
    public static String write(Object tree) {
        StringBuilder out = new StringBuilder(128);
        writeValue(out, tree);
        return out.toString();
    }

    /**
     * The dedupe key of a command: lowercase hex SHA-256 of the UTF-8 canonical text of
     * {@code {command, runId, stepId, workflowId}}, 64 characters, identical to the TypeScript store's.
     *
     * @param commandTree the command as a JSON tree (see {@link #write(Object)})
     * @throws IllegalArgumentException if the command tree holds an unsupported type
     */
    public static String dedupeKey(String workflowId, String runId, String stepId, Object commandTree) {
        // The wrapper's keys are fixed, so their sorted order is too: no map, no sort.
        StringBuilder out = new StringBuilder(256);
        out.append("{\"command\":");
        writeValue(out, commandTree);
        out.append(",\"runId\":");
        writeValue(out, runId);
        out.append(",\"stepId\":");
        writeValue(out, stepId);
        out.append(",\"workflowId\":");
        writeValue(out, workflowId);
        out.append('}');
        return sha256Hex(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue() ? "true" : "false");
        } else if (value instanceof Number n) {
            writeNumber(out, n);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map);
        } else if (value instanceof List<?> list) {
            writeArray(out, list);
        } else {
            throw new IllegalArgumentException("Not a JSON tree value: " + value.getClass().getName());
        }
    }

    private static void writeArray(StringBuilder out, List<?> list) {
        out.append('[');
        boolean first = true;
        for (Object element : list) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeValue(out, element);
        }
        out.append(']');
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map) {
        int size = map.size();
        if (size == 0) {
            out.append("{}");
            return;
        }
        String[] keys = new String[size];
        int i = 0;
        for (Object key : map.keySet()) {
            if (!(key instanceof String s)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got "
                        + (key == null ? "null" : key.getClass().getName()));
            }
            keys[i++] = s;
        }
        if (size > 1) {
            Arrays.sort(keys, KEY_ORDER);
        }
        out.append('{');
        for (int j = 0; j < size; j++) {
            if (j > 0) {
                out.append(',');
            }
            writeString(out, keys[j]);
            out.append(':');
            writeValue(out, map.get(keys[j]));
        }
        out.append('}');
    }

    /**
     * JavaScript sorts the keys by UTF-16 code units, but a re-built object then enumerates its array-index
     * keys first in numeric order: that enumeration order is what the reference serialises.
     */
    static int compareKeys(String a, String b) {
        long ia = arrayIndex(a);
        long ib = arrayIndex(b);
        if (ia >= 0) {
            return ib >= 0 ? Long.compare(ia, ib) : -1;
        }
        if (ib >= 0) {
            return 1;
        }
        return a.compareTo(b);
    }

    /** The key's value if it is a canonical array index ("0".."4294967294", no leading zero), else -1. */
    static long arrayIndex(String key) {
        int length = key.length();
        if (length == 0 || length > 10) {
            return -1;
        }
        char first = key.charAt(0);
        if (first < '0' || first > '9' || (first == '0' && length > 1)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_ARRAY_INDEX ? value : -1;
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        int length = s.length();
        int runStart = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a valid pair is literal text, emitted as UTF-8 later
                continue;
            }
            String escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> null;
            };
            out.append(s, runStart, i);
            if (escape != null) {
                out.append(escape);
            } else {
                // other controls and lone surrogates: JSON.stringify writes lowercase hex
                out.append("\\u")
                        .append(HEX[(c >> 12) & 0xF])
                        .append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            }
            runStart = i + 1;
        }
        out.append(s, runStart, length);
        out.append('"');
    }

    private static void writeNumber(StringBuilder out, Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            long l = n.longValue();
            if (l >= -TWO_POW_53 && l <= TWO_POW_53) {
                out.append(l);
                return;
            }
            // beyond 2^53 JavaScript has already rounded it to a double; long-to-double rounds the same way
            writeDouble(out, (double) l);
            return;
        }
        // Float widens exactly, so the double is what JavaScript would hold after reading the float's value.
        writeDouble(out, n instanceof Float f ? (double) f.floatValue() : n.doubleValue());
    }

    /** ECMAScript Number::toString (spec 6.1.6.1.20) of {@code v}, appended to {@code out}. */
    static void writeDouble(StringBuilder out, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            out.append("null");
            return;
        }
        if (v == Math.rint(v) && Math.abs(v) < TWO_POW_53) {
            out.append((long) v); // also turns -0.0 into "0"
            return;
        }
        if (v < 0) {
            out.append('-');
            v = -v;
        }
        ShortestDecimal.append(out, v);
    }

    private static String sha256Hex(byte[] bytes) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        char[] hex = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(hex);
    }
}
