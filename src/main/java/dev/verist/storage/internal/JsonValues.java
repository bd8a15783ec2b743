package dev.verist.storage.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.StoredDataException;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as plain trees ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean},
 * null): converting what callers hand in, checking it fits PostgreSQL {@code jsonb}, writing and reading text.
 *
 * <p>Depth: a value's depth is the number of arrays and objects on its deepest path, the value itself included
 * (a string, number, boolean or null is 0; {@code {}} and {@code []} are 1; {@code {"a":[1]}} is 2), counted for
 * each value a caller hands in on its own (an {@code output}, a command's {@code input}, a {@code resumeData}),
 * whatever the store wraps it in. Jackson counts a document's nesting the same way; {@link #MAX_DEPTH} is its
 * default limit. A deeper value is rejected naming the field by its path and the first 8 segments below it
 * ({@code output.a[0][0][0][0][0][0][0]: … nests deeper than 1000 levels}); a map, list, set or array that
 * contains itself is rejected naming the shallowest container on the path that does, cut to 8 segments the same
 * way ({@code output.a: contains itself, which JSON cannot hold}). The walk recurses at most {@code MAX_DEPTH + 1}
 * levels whatever it is given. Records and POJOs are converted by Jackson, which recurses on its own: a cycle
 * between them, or a chain deeper than the thread's stack, is rejected as it fails there.
 */
public final class JsonValues {

    /** The deepest a value handed in may nest (see the class comment): Jackson's default limit. */
    public static final int MAX_DEPTH = 1000;

    /**
     * The deepest a document the store writes or reads may nest: a value at {@link #MAX_DEPTH} plus the two levels
     * the store wraps around it at most (a resume command's {@code input.resumeData} and {@code input.checkpoint}).
     */
    static final int MAX_STORED_DEPTH = MAX_DEPTH + 2;

    // A depth or cycle error names the field by its shallowest segments: a thousand would name nothing.
    private static final int NAMED_SEGMENTS = 8;

    // Jackson's own limits (1,000 by default) would refuse a command whose input sits at the limit.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_STORED_DEPTH).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_STORED_DEPTH).build())
            .build();

    private JsonValues() {
    }

    /**
     * Jackson's data binding, for what plain trees cannot say: records and POJOs handed in, and the mapper of the
     * entities' JSON columns. Held apart so that the store's own writes and reads, which stream plain trees, never
     * load it: binding costs a fresh JVM about a thousand classes and a quarter of a second before its first commit.
     */
    private static final class Databind {
        /** java.time as ISO-8601 strings (as JavaScript's Date.toJSON), numbers read as Integer/Long/BigInteger/Double. */
        static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /**
     * The value as a JSON tree that PostgreSQL can store. Plain trees come back as the same instance;
     * records, POJOs, arrays and other collections are converted with Jackson.
     *
     * @throws InvalidRequestException naming {@code path} (or the nested path) for strings with U+0000 or an
     *     unpaired surrogate, non-finite numbers, null map keys, values Jackson cannot convert, a value nested
     *     deeper than {@link #MAX_DEPTH} or one that contains itself (see the class comment)
     */
    public static Object storable(Object value, String path) {
        return tree(value, path, true);
    }

    /** Like {@link #storable} for an object; null stays null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> storableObject(Map<String, ?> value, String path) {
        return (Map<String, Object>) tree(value, path, true);
    }

    /**
     * The value as a JSON tree without the storage checks: for hashing, where JavaScript semantics apply. Depth and
     * cycles are checked all the same (see the class comment).
     *
     * @throws InvalidRequestException for a value Jackson cannot convert, nested deeper than {@link #MAX_DEPTH}
     *     or containing itself
     */
    public static Object hashable(Object value, String path) {
        return tree(value, path, false);
    }

    /**
     * A copy of the store's mapper, for the JSON columns Hibernate maps: the same nesting limits and number
     * handling, so an entity reads what the store writes. Changing the copy leaves the store's mapper as it is.
     */
    public static ObjectMapper entityMapper() {
        return Databind.MAPPER.copy();
    }

    /** Compact JSON text of a tree ({@link #storable} or built by the store); null is JSON {@code null}. */
    public static String write(Object tree) {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            writeTree(out, tree);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
        return text.toString();
    }

    /** Compact JSON text of a tree, or null (SQL NULL) for null. */
    public static String writeNullable(Object tree) {
        return tree == null ? null : write(tree);
    }

    /** Parses JSON text read from the database; SQL NULL gives null. */
    public static Object read(String json) {
        return json == null ? null : parse(json, false, "Stored JSON cannot be parsed: ");
    }

    /** Parses a JSON object read from the database; SQL NULL (or JSON {@code null}) gives null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String json) {
        if (json == null) {
            return null;
        }
        if (json.equals("{}")) {
            return new LinkedHashMap<>();
        }
        return (Map<String, Object>) parse(json, true, "Stored JSON is not an object: ");
    }

    // objectOnly: anything but an object (or null) at the top is unreadable too. problem: the message's start.
    private static Object parse(String json, boolean objectOnly, String problem) {
        try (JsonParser in = FACTORY.createParser(json)) {
            JsonToken first = in.nextToken();
            if (objectOnly && first != JsonToken.START_OBJECT && first != JsonToken.VALUE_NULL) {
                throw new JsonParseException(in, "a JSON object was expected, not " + first);
            }
            return readTree(in, first);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException jackson ? jackson.getOriginalMessage() : e.getMessage();
            throw new StoredDataException(problem + detail, e);
        }
    }

    // Written as Jackson's data binding writes a Map<String, Object>, so the text is the same as it ever was.
    private static void writeTree(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.writeFieldName((String) entry.getKey());
                writeTree(out, entry.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof List<?> list) {
            out.writeStartArray();
            for (Object item : list) {
                writeTree(out, item);
            }
            out.writeEndArray();
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            out.writeNumber(l);
        } else if (value instanceof Double d) {
            out.writeNumber(d);
        } else if (value instanceof Float f) {
            out.writeNumber(f);
        } else if (value instanceof BigDecimal d) {
            out.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            out.writeNumber(i);
        } else {
            throw new IllegalStateException("not a plain JSON tree: " + value.getClass().getName());
        }
    }

    // Read as Jackson's data binding reads Object: LinkedHashMap, ArrayList, Integer/Long/BigInteger, Double.
    private static Object readTree(JsonParser in, JsonToken token) throws IOException {
        if (token == null) {
            throw new JsonParseException(in, "no JSON value");
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (String name = in.nextFieldName(); name != null; name = in.nextFieldName()) {
                    map.put(name, readTree(in, in.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken next = in.nextToken(); next != JsonToken.END_ARRAY; next = in.nextToken()) {
                    list.add(readTree(in, next));
                }
                return list;
            }
            case VALUE_STRING -> {
                return in.getText();
            }
            case VALUE_NUMBER_INT -> {
                return in.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return in.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(in, "unexpected " + token);
        }
    }

    private static Object tree(Object value, String path, boolean storable) {
        try {
            return tree(value, storable, 1);
        } catch (BadValue bad) {
            throw bad.toException(path);
        }
    }

    // Paths are built only on failure, as the exception unwinds, so a valid tree costs no string work.
    // level: the level the value has if it is an array or object (its enclosing arrays and objects, plus one).
    private static Object tree(Object value, boolean storable, int level) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String s) {
            if (storable) {
                String problem = Checks.textProblem(s);
                if (problem != null) {
                    throw new BadValue(problem);
                }
            }
            return s;
        }
        if (value instanceof Number n) {
            return number(n, storable);
        }
        if (value instanceof Map<?, ?> map) {
            return map(map, storable, level);
        }
        if (value instanceof List<?> list) {
            return list(list, list, storable, level);
        }
        if (value instanceof Collection<?> collection) {
            return list(new ArrayList<>(collection), collection, storable, level);
        }
        if (value.getClass().isArray()) {
            return list(arrayToList(value), value, storable, level);
        }
        if (value instanceof Character c) {
            return tree(String.valueOf(c), storable, level);
        }
        return tree(convert(value), storable, level);
    }

    private static Object convert(Object value) {
        Object converted;
        try {
            converted = Databind.MAPPER.convertValue(value, Object.class);
        } catch (IllegalArgumentException | StackOverflowError e) {
            // Jackson serialises a POJO recursively; a cycle between objects or a chain deeper than the stack ends
            // in a StackOverflowError, which Jackson wraps in its own exception unless nothing of its catches it.
            throw new BadValue(conversionProblem(value, e));
        }
        if (converted != null && converted.getClass() == value.getClass()) {
            throw new BadValue("cannot be converted to JSON (" + value.getClass().getName() + ")");
        }
        return converted;
    }

    private static String conversionProblem(Object value, Throwable failure) {
        String type = value.getClass().getName();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StackOverflowError) {
                return "cannot be converted to JSON (" + type + "): it contains itself or nests too deeply";
            }
            if (t instanceof StreamConstraintsException) {
                return "cannot be converted to JSON (" + type + "): it nests deeper than " + MAX_DEPTH + " levels";
            }
        }
        Throwable cause = failure.getCause();
        String detail = cause instanceof JsonProcessingException jackson && jackson.getOriginalMessage() != null
                ? ": " + jackson.getOriginalMessage() : "";
        return "cannot be converted to JSON (" + type + detail + ")";
    }

    private static Object number(Number n, boolean storable) {
        if (n instanceof Integer || n instanceof Long || n instanceof BigInteger || n instanceof BigDecimal
                || n instanceof Short || n instanceof Byte) {
            return n;
        }
        if (n instanceof Double || n instanceof Float) {
            if (storable && !Double.isFinite(n.doubleValue())) {
                throw new BadValue("is " + n + ", which JSON cannot hold");
            }
            return n;
        }
        try {
            return new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            throw new BadValue("is " + n + ", which JSON cannot hold");
        }
    }

    private static Object map(Map<?, ?> map, boolean storable, int level) {
        if (level > MAX_DEPTH) {
            throw BadValue.tooDeep(map);
        }
        Map<String, Object> copy = null;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object key = entry.getKey();
            if (key == null) {
                throw new BadValue("has a null key");
            }
            String name = key instanceof String s ? s : key.toString();
            String keyProblem = storable ? Checks.textProblem(name) : null;
            if (keyProblem != null) {
                throw new BadValue("has a key that " + keyProblem);
            }
            Object value = entry.getValue();
            Object converted;
            try {
                converted = tree(value, storable, level + 1);
            } catch (BadValue bad) {
                throw bad.under(name, map);
            }
            if (copy == null && (converted != value || !(key instanceof String))) {
                copy = copyBefore(map, key);
            }
            if (copy != null) {
                copy.put(name, converted);
            }
        }
        return copy == null ? map : copy;
    }

    private static Map<String, Object> copyBefore(Map<?, ?> map, Object stopKey) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(16, map.size() * 2));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() == stopKey) {
                break;
            }
            copy.put((String) entry.getKey(), entry.getValue());
        }
        return copy;
    }

    // original: what the caller handed in (a list, or the set or array copied into it), to recognise a cycle
    private static Object list(List<?> list, Object original, boolean storable, int level) {
        if (level > MAX_DEPTH) {
            throw BadValue.tooDeep(original);
        }
        List<Object> copy = null;
        int i = 0;
        for (Object value : list) {
            Object converted;
            try {
                converted = tree(value, storable, level + 1);
            } catch (BadValue bad) {
                throw bad.under(i, original);
            }
            if (copy == null && converted != value) {
                copy = new ArrayList<>(list.size());
                copy.addAll(list.subList(0, i));
            }
            if (copy != null) {
                copy.add(converted);
            }
            i++;
        }
        return copy == null ? list : copy;
    }

    /**
     * A bad value; collects its path while unwinding (deepest segment first). No stack trace: it never leaves this
     * class. A depth error also collects the containers on the path, to tell a cycle from plain depth.
     */
    private static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<Object> segments = new ArrayList<>();
        private final transient List<Object> containers;

        private BadValue(String problem, List<Object> containers) {
            super(problem, null, false, false);
            this.containers = containers;
        }

        BadValue(String problem) {
            this(problem, null);
        }

        /** The array or object one level deeper than {@link #MAX_DEPTH}. */
        static BadValue tooDeep(Object container) {
            List<Object> containers = new ArrayList<>(MAX_DEPTH + 1);
            containers.add(container);
            return new BadValue("nests deeper than " + MAX_DEPTH + " levels", containers);
        }

        /** Adds the step into this value from {@code container}: a key (String) or an index (Integer). */
        BadValue under(Object segment, Object container) {
            segments.add(segment);
            if (containers != null) {
                containers.add(container);
            }
            return this;
        }

        InvalidRequestException toException(String root) {
            if (containers == null) {
                return new InvalidRequestException(path(root, segments.size()), getMessage());
            }
            // The shallowest container that occurs again deeper on the path contains itself.
            Map<Object, Integer> seen = new IdentityHashMap<>(containers.size() * 2);
            for (Object container : containers) {
                seen.merge(container, 1, Integer::sum);
            }
            int depth = segments.size(); // segments leading from the root to containers.get(0)
            for (int k = containers.size() - 1; k >= 0; k--) {
                if (seen.get(containers.get(k)) > 1) {
                    // containers.get(k) lies depth - k segments below the root
                    return named(root, depth - k, "contains itself, which JSON cannot hold");
                }
            }
            return named(root, depth, getMessage());
        }

        private InvalidRequestException named(String root, int segmentCount, String problem) {
            int shown = Math.min(segmentCount, NAMED_SEGMENTS);
            return new InvalidRequestException(path(root, shown), shown < segmentCount ? "… " + problem : problem);
        }

        // The root and the first n segments below it.
        private String path(String root, int n) {
            StringBuilder path = new StringBuilder(root);
            for (int k = segments.size() - 1; k >= segments.size() - n; k--) {
                Object segment = segments.get(k);
                if (segment instanceof Integer index) {
                    path.append('[').append(index).append(']');
                } else {
                    path.append('.').append(segment);
                }
            }
            return path.toString();
        }
    }

    private static List<Object> arrayToList(Object array) {
        int length = Array.getLength(array);
        List<Object> list = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            list.add(Array.get(array, i));
        }
        return list;
    }
}
