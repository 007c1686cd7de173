package io.ringmq.core.protocol;

import org.agrona.DirectBuffer;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Where every field of every message sits, and which values it may take, read from ringmq's SBE schema itself (the
 * {@code ringmq-codecs.xml} resource the codecs are generated from) rather than from a second, hand-kept table that
 * could drift from it. What the {@link FrameValidator} checks is derived from this: block lengths by version, the
 * repeating group, the var-data fields, every enum field's valid values and any {@code minValue}/{@code maxValue} a
 * type declares.
 * <p>
 * Follows SBE's layout rules for what the schema uses: fields and composite members one after another unless an
 * {@code offset} says otherwise, enums as wide as their encoding type, a message's block length as declared or else
 * where its last field ends. A test holds the result against the generated codecs' own offsets.
 * <p>
 * Read once, when first used; immutable after.
 */
public final class SchemaLayout
{
    /** The schema, on the class path of every module that has the codecs. */
    public static final String RESOURCE = "/ringmq-codecs.xml";

    /** The schema as loaded from {@link #RESOURCE}. */
    public static final SchemaLayout RINGMQ = load();

    private final Map<Integer, Message> messages;

    private SchemaLayout(final Map<Integer, Message> messages)
    {
        this.messages = messages;
    }

    /** @return the message with this template id, or null if the schema has none. */
    public Message message(final int templateId)
    {
        return messages.get(templateId);
    }

    /** Every message, by template id. */
    public Map<Integer, Message> messages()
    {
        return messages;
    }

    /**
     * One message of the schema.
     *
     * @param blockLength the fixed block's length in the newest version.
     * @param fields      the fixed block's fields, composites flattened ({@code settings.backoff}), in offset order.
     * @param group       its repeating group (the schema allows at most one, after the fixed block), or null.
     * @param varData     the var-data fields that follow the block (and the group), in order.
     */
    public record Message(
        int templateId, String name, int blockLength, List<Field> fields, Group group, List<VarField> varData)
    {
        /** How many var-data fields the newest version has. */
        public int varFields()
        {
            return varData.size();
        }

        /**
         * How many var-data fields a frame of this version has: those it knows (fields added later come after them,
         * and are absent from older frames).
         */
        public int varFields(final int version)
        {
            int count = 0;
            for (final VarField field : varData)
            {
                if (field.sinceVersion() <= version)
                {
                    count++;
                }
            }
            return count;
        }

        /**
         * The shortest fixed block a frame of this version may have: up to the end of the last field the version
         * knows (fields added later, with a higher {@code sinceVersion}, are absent from older frames).
         */
        public int minBlockLength(final int version)
        {
            int length = 0;
            boolean everyField = true;
            for (final Field field : fields)
            {
                if (field.sinceVersion() <= version)
                {
                    length = Math.max(length, field.offset() + field.length());
                }
                else
                {
                    everyField = false;
                }
            }
            return everyField ? blockLength : length;
        }
    }

    /**
     * One var-data field: its length prefix is a uint32 that may not exceed {@code maxLength} (its encoding's
     * {@code length} type's {@code maxValue}).
     */
    public record VarField(String name, int sinceVersion, long maxLength)
    {
    }

    /**
     * A repeating group's entries.
     *
     * @param entryLength the length of one entry's block in the newest version.
     */
    public record Group(String name, int entryLength, List<Field> fields)
    {
    }

    /**
     * One primitive field of a block, at its offset from the block's start.
     *
     * @param validValues an enum's values (its null value excluded), or null if the field is not an enum.
     * @param minValue    the least value the type allows, or {@link Long#MIN_VALUE} if it declares none.
     * @param maxValue    the greatest value the type allows, or {@link Long#MAX_VALUE} if it declares none.
     */
    public record Field(
        String name,
        int offset,
        Primitive primitive,
        int sinceVersion,
        String enumName,
        long[] validValues,
        long minValue,
        long maxValue)
    {
        public int length()
        {
            return primitive.length;
        }

        /** Whether the schema restricts this field's values: an enum, or a type with a declared range. */
        public boolean isRestricted()
        {
            return null != validValues || Long.MIN_VALUE != minValue || Long.MAX_VALUE != maxValue;
        }

        /** The field's value in a block that starts at {@code blockOffset}, widened to a long. */
        public long read(final DirectBuffer buffer, final int blockOffset)
        {
            return primitive.read(buffer, blockOffset + offset);
        }

        /** Whether the schema allows this value. Allocation-free. */
        public boolean allows(final long value)
        {
            if (null != validValues)
            {
                for (final long valid : validValues)
                {
                    if (valid == value)
                    {
                        return true;
                    }
                }
                return false;
            }
            return value >= minValue && value <= maxValue;
        }

        /** What the field allows, for people: {@code one of [0, 1, 2]} or {@code 0 to 100}. */
        public String allowed()
        {
            return null != validValues ? enumName + ": one of " + Arrays.toString(validValues) :
                (Long.MIN_VALUE == minValue ? "at most " + maxValue :
                Long.MAX_VALUE == maxValue ? "at least " + minValue : minValue + " to " + maxValue);
        }
    }

    /** The SBE primitive types the schema may use, with their width and how to read them (little-endian). */
    public enum Primitive
    {
        CHAR(1, false), INT8(1, true), UINT8(1, false), INT16(2, true), UINT16(2, false),
        INT32(4, true), UINT32(4, false), INT64(8, true), UINT64(8, false), FLOAT(4, true), DOUBLE(8, true);

        final int length;
        final boolean signed;

        Primitive(final int length, final boolean signed)
        {
            this.length = length;
            this.signed = signed;
        }

        static Primitive named(final String name)
        {
            for (final Primitive primitive : values())
            {
                if (primitive.name().equalsIgnoreCase(name))
                {
                    return primitive;
                }
            }
            return null;
        }

        long read(final DirectBuffer buffer, final int index)
        {
            return switch (length)
            {
                case 1 -> signed ? buffer.getByte(index) : Byte.toUnsignedLong(buffer.getByte(index));
                case 2 -> signed ? buffer.getShort(index, LITTLE_ENDIAN) :
                    Short.toUnsignedLong(buffer.getShort(index, LITTLE_ENDIAN));
                case 4 -> signed ? buffer.getInt(index, LITTLE_ENDIAN) :
                    Integer.toUnsignedLong(buffer.getInt(index, LITTLE_ENDIAN));
                default -> buffer.getLong(index, LITTLE_ENDIAN);
            };
        }
    }

    // ---- reading the schema ----

    static SchemaLayout load()
    {
        try (InputStream in = SchemaLayout.class.getResourceAsStream(RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("the SBE schema " + RESOURCE + " is not on the class path");
            }
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return parse(factory.newDocumentBuilder().parse(in).getDocumentElement());
        }
        catch (final IllegalStateException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot read the SBE schema " + RESOURCE + ": " + ex, ex);
        }
    }

    private static SchemaLayout parse(final Element schema)
    {
        final Map<String, Type> types = new HashMap<>();
        for (final Element typesElement : children(schema, "types"))
        {
            for (final Element definition : children(typesElement, null))
            {
                types.put(definition.getAttribute("name"), defineType(definition, types));
            }
        }
        final Map<Integer, Message> messages = new HashMap<>();
        for (final Element message : children(schema, "message"))
        {
            final int templateId = Integer.parseInt(message.getAttribute("id"));
            final List<Field> fields = new ArrayList<>();
            final int end = layOutFields(message, types, fields);
            Group group = null;
            for (final Element groupElement : children(message, "group"))
            {
                if (null != group || !children(groupElement, "data").isEmpty())
                {
                    throw new IllegalStateException(message.getAttribute("name") +
                        ": the frame validator handles one repeating group without var data; teach it more first");
                }
                final List<Field> entryFields = new ArrayList<>();
                final int entryEnd = layOutFields(groupElement, types, entryFields);
                group = new Group(groupElement.getAttribute("name"),
                    intAttribute(groupElement, "blockLength", entryEnd), List.copyOf(entryFields));
            }
            messages.put(templateId, new Message(templateId, message.getAttribute("name"),
                intAttribute(message, "blockLength", end), List.copyOf(fields), group,
                varData(message, types)));
        }
        return new SchemaLayout(Map.copyOf(messages));
    }

    /** The {@code data} children of a message, each with the bound its encoding's length type declares. */
    private static List<VarField> varData(final Element message, final Map<String, Type> types)
    {
        final List<VarField> varData = new ArrayList<>();
        for (final Element data : children(message, "data"))
        {
            long maxLength = Long.MAX_VALUE;
            if (resolve(data.getAttribute("type"), types) instanceof Composite encoding)
            {
                final int lengthIndex = encoding.names().indexOf("length");
                if (lengthIndex >= 0 && encoding.members().get(lengthIndex) instanceof Scalar length)
                {
                    maxLength = length.maxValue();
                }
            }
            varData.add(new VarField(data.getAttribute("name"), intAttribute(data, "sinceVersion", 0), maxLength));
        }
        return List.copyOf(varData);
    }

    /** Lays out the {@code field} children of a message or group; returns where the last one ends. */
    private static int layOutFields(final Element parent, final Map<String, Type> types, final List<Field> fields)
    {
        int position = 0;
        for (final Element field : children(parent, "field"))
        {
            final Type type = resolve(field.getAttribute("type"), types);
            final int offset = intAttribute(field, "offset", position);
            type.flatten(field.getAttribute("name"), offset, intAttribute(field, "sinceVersion", 0), fields);
            position = offset + type.length();
        }
        return position;
    }

    private static Type defineType(final Element definition, final Map<String, Type> types)
    {
        return switch (definition.getLocalName())
        {
            case "type" -> primitiveType(definition);
            case "enum" -> enumType(definition, types);
            case "composite" -> compositeType(definition, types);
            case "ref" -> resolve(definition.getAttribute("type"), types);
            default -> throw new IllegalStateException("schema element <" + definition.getLocalName() +
                "> is not handled by " + SchemaLayout.class.getSimpleName());
        };
    }

    private static Type primitiveType(final Element definition)
    {
        final Primitive primitive = Primitive.named(definition.getAttribute("primitiveType"));
        if ("constant".equals(definition.getAttribute("presence")))
        {
            return new Composite(List.of(), List.of(), List.of(), 0); // takes no room in the block
        }
        final int arrayLength = intAttribute(definition, "length", 1);
        return new Scalar(primitive, arrayLength, longAttribute(definition, "minValue", Long.MIN_VALUE),
            longAttribute(definition, "maxValue", Long.MAX_VALUE));
    }

    private static Type enumType(final Element definition, final Map<String, Type> types)
    {
        final Type encoding = resolve(definition.getAttribute("encodingType"), types);
        if (!(encoding instanceof Scalar scalar))
        {
            throw new IllegalStateException("enum " + definition.getAttribute("name") + " has no primitive encoding");
        }
        final List<Element> values = children(definition, "validValue");
        final long[] validValues = new long[values.size()];
        for (int i = 0; i < validValues.length; i++)
        {
            final String text = values.get(i).getTextContent().trim();
            validValues[i] = Primitive.CHAR == scalar.primitive ? text.charAt(0) : Long.parseLong(text);
        }
        return new EnumType(definition.getAttribute("name"), scalar.primitive, validValues);
    }

    private static Type compositeType(final Element definition, final Map<String, Type> types)
    {
        final List<String> names = new ArrayList<>();
        final List<Type> memberTypes = new ArrayList<>();
        final List<int[]> placement = new ArrayList<>(); // offset, sinceVersion
        int position = 0;
        for (final Element member : children(definition, null))
        {
            final Type type = defineType(member, types);
            final int offset = intAttribute(member, "offset", position);
            names.add(member.getAttribute("name"));
            memberTypes.add(type);
            placement.add(new int[]{offset, intAttribute(member, "sinceVersion", 0)});
            position = offset + type.length();
        }
        return new Composite(names, memberTypes, placement, position);
    }

    private static Type resolve(final String name, final Map<String, Type> types)
    {
        final Primitive primitive = Primitive.named(name);
        if (null != primitive)
        {
            return new Scalar(primitive, 1, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        final Type type = types.get(name);
        if (null == type)
        {
            throw new IllegalStateException("schema type '" + name + "' is not defined before its use");
        }
        return type;
    }

    private static List<Element> children(final Element parent, final String localName)
    {
        final List<Element> children = new ArrayList<>();
        final NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            final Node node = nodes.item(i);
            if (node instanceof Element element && (null == localName || localName.equals(element.getLocalName())))
            {
                children.add(element);
            }
        }
        return children;
    }

    private static int intAttribute(final Element element, final String name, final int absent)
    {
        final String value = element.getAttribute(name);
        return value.isEmpty() ? absent : Integer.parseInt(value);
    }

    private static long longAttribute(final Element element, final String name, final long absent)
    {
        final String value = element.getAttribute(name);
        return value.isEmpty() ? absent : Long.parseLong(value);
    }

    /** A type of the schema, as far as layout and allowed values go. */
    private sealed interface Type permits Scalar, EnumType, Composite
    {
        int length();

        /** Adds this type's primitive fields, named under {@code name}, at {@code offset} of the block. */
        void flatten(String name, int offset, int sinceVersion, List<Field> into);
    }

    private record Scalar(Primitive primitive, int arrayLength, long minValue, long maxValue) implements Type
    {
        public int length()
        {
            return primitive.length * arrayLength;
        }

        public void flatten(final String name, final int offset, final int sinceVersion, final List<Field> into)
        {
            if (1 == arrayLength)
            {
                into.add(new Field(name, offset, primitive, sinceVersion, null, null, minValue, maxValue));
            }
            // Fixed-length arrays (none in the schema today) are opaque bytes: nothing to check, nothing added.
        }
    }

    private record EnumType(String name, Primitive primitive, long[] validValues) implements Type
    {
        public int length()
        {
            return primitive.length;
        }

        public void flatten(final String fieldName, final int offset, final int sinceVersion, final List<Field> into)
        {
            into.add(new Field(
                fieldName, offset, primitive, sinceVersion, name, validValues, Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }

    private record Composite(List<String> names, List<Type> members, List<int[]> placement, int length)
        implements Type
    {
        public void flatten(final String name, final int offset, final int sinceVersion, final List<Field> into)
        {
            for (int i = 0; i < members.size(); i++)
            {
                final int[] place = placement.get(i);
                members.get(i).flatten(
                    name + "." + names.get(i), offset + place[0], Math.max(sinceVersion, place[1]), into);
            }
        }
    }
}
