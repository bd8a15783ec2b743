package dev.verist.examples.wildfly;

import dev.verist.storage.InvalidRequestException;
import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON request bodies (objects, as maps) with the streaming JSON-P parser and builds the tree without
 * recursion. A malformed body, one that is not an object, or one nested deeper than {@value #MAX_DEPTH} levels is
 * the library's {@link InvalidRequestException} naming the field {@code body} (400 by {@link StorageExceptionMapper});
 * the JSON-B provider answered 500 with its own text, and overflowed its stack on deep bodies. Numbers are
 * {@code BigDecimal}, as JSON-B makes them; an empty body is null, as before.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class JsonBodyReader implements MessageBodyReader<Map<String, Object>> {

    /** Levels of arrays and objects a body may have, itself included. */
    static final int MAX_DEPTH = 1000;

    // Parsson's own limit sits just above ours, so that ours answers with its message; other JSON-P
    // implementations ignore the key and refuse deep input in their own words.
    private static final JsonParserFactory PARSERS =
            Json.createParserFactory(Map.of("org.eclipse.parsson.maxDepth", MAX_DEPTH + 2));

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == Map.class;
    }

    @Override
    public Map<String, Object> readFrom(Class<Map<String, Object>> type, Type genericType, Annotation[] annotations,
                                        MediaType mediaType, MultivaluedMap<String, String> httpHeaders,
                                        InputStream entityStream) throws IOException {
        byte[] body = entityStream.readAllBytes();
        if (blank(body)) {
            return null;
        }
        Object tree;
        try (JsonParser parser = PARSERS.createParser(new ByteArrayInputStream(body))) {
            tree = parse(parser);
        } catch (InvalidRequestException e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonParsingException for bad syntax; Parsson's depth guard throws a plain RuntimeException
            throw new InvalidRequestException("body", "is not valid JSON: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) tree;
        return object;
    }

    private static Object parse(JsonParser parser) {
        Deque<Object> open = new ArrayDeque<>(); // the objects and lists being filled, innermost first
        String key = null;
        Object root = null;
        while (parser.hasNext()) {
            JsonParser.Event event = parser.next();
            Object value;
            switch (event) {
                case KEY_NAME -> {
                    key = parser.getString();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    open.pop();
                    continue;
                }
                case START_OBJECT, START_ARRAY -> {
                    if (open.size() == MAX_DEPTH) {
                        throw new InvalidRequestException("body", "nests deeper than " + MAX_DEPTH + " levels");
                    }
                    value = event == JsonParser.Event.START_OBJECT ? new LinkedHashMap<String, Object>()
                            : new ArrayList<>();
                }
                case VALUE_STRING -> value = parser.getString();
                case VALUE_NUMBER -> value = parser.getBigDecimal();
                case VALUE_TRUE -> value = Boolean.TRUE;
                case VALUE_FALSE -> value = Boolean.FALSE;
                default -> value = null;
            }
            if (open.isEmpty()) {
                root = value;
            } else {
                add(open.peek(), key, value);
            }
            if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
                open.push(value);
            }
        }
        return root;
    }

    private static boolean blank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static void add(Object container, String key, Object value) {
        if (container instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put(key, value);
        } else {
            ((List<Object>) container).add(value);
        }
    }
}
