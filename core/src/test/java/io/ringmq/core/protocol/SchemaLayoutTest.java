package io.ringmq.core.protocol;

import io.ringmq.codecs.PublishDecoder;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout read from the schema is the one SBE generated the codecs from: for every message, the same block length,
 * and every field at the offset the generated decoder reads it from (composites and the group's entries included);
 * every enum field's valid values are the generated enum's, without its null value.
 */
class SchemaLayoutTest
{
    private static final String CODECS = "io.ringmq.codecs.";

    @Test
    void everyMessageAndFieldIsWhereTheGeneratedCodecsPutThem() throws Exception
    {
        int fields = 0;
        for (final SchemaLayout.Message message : SchemaLayout.RINGMQ.messages().values())
        {
            final Class<?> decoder = Class.forName(CODECS + message.name() + "Decoder");
            assertEquals(decoder.getField("TEMPLATE_ID").getInt(null), message.templateId(), message.name());
            assertEquals(decoder.getField("BLOCK_LENGTH").getInt(null), message.blockLength(), message.name());
            for (final SchemaLayout.Field field : message.fields())
            {
                final String name = message.name() + "." + field.name();
                assertEquals(generatedOffset(decoder, field.name()), field.offset(), name);
                fields++;
            }
            if (null != message.group())
            {
                final Class<?> entries = nested(decoder, message.group().name());
                assertEquals(entries.getMethod("sbeBlockLength").invoke(null), message.group().entryLength());
                for (final SchemaLayout.Field field : message.group().fields())
                {
                    assertEquals(generatedOffset(entries, field.name()), field.offset(), field.name());
                }
            }
            assertEquals(varDataFields(decoder), message.varFields(), message.name());
        }
        assertTrue(fields > 60, "every message's fields: " + fields);
    }

    /** A client takes the message-id bound from the generated codec, without the schema's XML: the same bound. */
    @Test
    void theMessageIdBoundIsTheSchemas()
    {
        for (final int templateId : List.of(PublishDecoder.TEMPLATE_ID, io.ringmq.codecs.DeliverDecoder.TEMPLATE_ID, io.ringmq.codecs.BrowsedDecoder.TEMPLATE_ID))
        {
            assertEquals(SchemaLayout.RINGMQ.message(templateId).varData().stream()
                .filter((field) -> "messageId".equals(field.name())).findFirst().orElseThrow().maxLength(),
                MessageIds.MAX_LENGTH);
        }
    }

    /**
     * Var data added in a later version is absent from older frames, and its bound is its encoding's: a Publish of
     * version 6 has its queue and payload only; from version 7 headers, a message id of at most 128 bytes and a
     * request's reply queue follow.
     */
    @Test
    void varDataIsCountedByVersionAndBoundedByItsEncoding()
    {
        final SchemaLayout.Message publish = SchemaLayout.RINGMQ.message(PublishDecoder.TEMPLATE_ID);
        assertEquals(2, publish.varFields(6));
        assertEquals(5, publish.varFields(7));
        assertEquals(List.of("queue", "payload", "headers", "messageId", "replyTo"),
            publish.varData().stream().map(SchemaLayout.VarField::name).toList());
        assertEquals(128, publish.varData().get(3).maxLength());
        assertEquals(PublishDecoder.messageIdSinceVersion(), publish.varData().get(3).sinceVersion());
    }

    @Test
    void enumFieldsAllowTheGeneratedEnumsValuesButTheNullValue() throws Exception
    {
        final SchemaLayout.Message queueAdmin = SchemaLayout.RINGMQ.message(7);
        final SchemaLayout.Field action = queueAdmin.fields().stream()
            .filter((field) -> field.name().equals("action")).findFirst().orElseThrow();
        final List<Long> generated = new ArrayList<>();
        for (final Object constant : Class.forName(CODECS + "AdminAction").getEnumConstants())
        {
            if (!"NULL_VAL".equals(((Enum<?>)constant).name()))
            {
                generated.add(((Number)constant.getClass().getMethod("value").invoke(constant)).longValue());
            }
        }
        assertEquals(generated, Arrays.stream(action.validValues()).boxed().toList());
        assertTrue(action.allows(3));
        assertFalse(action.allows(-128), "the null value is not a value a command may carry");
    }

    /** Offset of a field as the generated decoder has it; {@code a.b} is member b of composite field a. */
    private static int generatedOffset(final Class<?> decoder, final String path) throws Exception
    {
        final int dot = path.indexOf('.');
        if (dot < 0)
        {
            return (int)decoder.getMethod(path + "EncodingOffset").invoke(null);
        }
        final String composite = path.substring(0, dot);
        final Class<?> compositeDecoder = decoder.getMethod(composite).getReturnType();
        return (int)decoder.getMethod(composite + "EncodingOffset").invoke(null) +
            generatedOffset(compositeDecoder, path.substring(dot + 1));
    }

    private static Class<?> nested(final Class<?> decoder, final String groupName)
    {
        final String simpleName = Character.toUpperCase(groupName.charAt(0)) + groupName.substring(1) + "Decoder";
        for (final Class<?> nested : decoder.getDeclaredClasses())
        {
            if (nested.getSimpleName().equals(simpleName))
            {
                return nested;
            }
        }
        throw new AssertionError("no " + simpleName + " in " + decoder.getSimpleName());
    }

    /** Var-data fields have a static {@code <name>HeaderLength()}. */
    private static int varDataFields(final Class<?> decoder)
    {
        int count = 0;
        for (final Method method : decoder.getDeclaredMethods())
        {
            if (method.getName().endsWith("HeaderLength") && 0 == method.getParameterCount() &&
                Modifier.isStatic(method.getModifiers()))
            {
                count++;
            }
        }
        return count;
    }
}
