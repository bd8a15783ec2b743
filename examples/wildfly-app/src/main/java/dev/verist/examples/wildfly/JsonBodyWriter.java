package dev.verist.examples.wildfly;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the response bodies (maps and lists of JSON values) with the streaming JSON-P generator, without
 * recursion: a run whose state nests close to the library's limit of 1,000 levels is answered, where JSON-B's
 * recursive serialiser overflowed its stack (500) after the commit had landed. Null values are written too (an
 * overlay key set to null hides the computed value).
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class JsonBodyWriter implements MessageBodyWriter<Object> {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    /** An object or array being written: its remaining members. */
    private record Open(Iterator<?> members, boolean object) {
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Map.class.isAssignableFrom(type) || List.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(Object body, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) {
        try (JsonGenerator out = GENERATORS.createGenerator(entityStream)) {
            write(out, body);
        }
    }

    private static void write(JsonGenerator out, Object root) {
        Deque<Open> open = new ArrayDeque<>();
        String key = null;
        Object value = root;
        while (true) {
            if (value instanceof Map<?, ?> map) {
                if (key == null) {
                    out.writeStartObject();
                } else {
                    out.writeStartObject(key);
                }
                open.push(new Open(map.entrySet().iterator(), true));
            } else if (value instanceof List<?> list) {
                if (key == null) {
                    out.writeStartArray();
                } else {
                    out.writeStartArray(key);
                }
                open.push(new Open(list.iterator(), false));
            } else {
                scalar(out, key, value);
            }
            // on to the next member, closing every object and array that has none left
            while (true) {
                Open current = open.peek();
                if (current == null) {
                    return;
                }
                if (current.members().hasNext()) {
                    Object next = current.members().next();
                    if (current.object()) {
                        Map.Entry<?, ?> member = (Map.Entry<?, ?>) next;
                        key = String.valueOf(member.getKey());
                        value = member.getValue();
                    } else {
                        key = null;
                        value = next;
                    }
                    break;
                }
                open.pop();
                out.writeEnd();
            }
        }
    }

    // key is null inside an array and for a bare top-level value
    private static void scalar(JsonGenerator out, String key, Object value) {
        if (value == null) {
            if (key == null) {
                out.writeNull();
            } else {
                out.writeNull(key);
            }
        } else if (value instanceof Boolean b) {
            if (key == null) {
                out.write(b);
            } else {
                out.write(key, b);
            }
        } else if (value instanceof BigDecimal || value instanceof Double || value instanceof Float) {
            BigDecimal number = value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
            if (key == null) {
                out.write(number);
            } else {
                out.write(key, number);
            }
        } else if (value instanceof BigInteger || value instanceof Number) {
            BigInteger number = value instanceof BigInteger i ? i : BigInteger.valueOf(((Number) value).longValue());
            if (key == null) {
                out.write(number);
            } else {
                out.write(key, number);
            }
        } else if (key == null) {
            out.write(value.toString());
        } else {
            out.write(key, value.toString());
        }
    }
}
