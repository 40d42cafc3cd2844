#pragma once

// An OTLP/JSON ExportTraceServiceRequest checked field by field against opentelemetry-proto's
// JSON mapping (opentelemetry/proto/collector/trace/v1/trace_service.proto and the trace, common
// and resource messages it uses): only fields the messages have (a protobuf JSON parser refuses
// unknown ones), ids as lowercase hex of the right length, enums as integers, 64-bit integers
// (times, intValue) as decimal strings, and every AnyValue with exactly one typed member.
// What the request is made of is returned as a flat list of spans for the test to look at.

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace otlpcheck {

struct CheckedSpan {
    QString resourceServiceName;
    QJsonObject span;
};

class RequestCheck {
public:
    QStringList problems;
    std::vector<CheckedSpan> spans;
    QJsonArray resourceAttributes;

    void check(const QJsonObject& request) {
        onlyKeys(request, {"resourceSpans"}, "request");
        const QJsonValue resourceSpans = request.value("resourceSpans");
        if (!resourceSpans.isArray() || resourceSpans.toArray().isEmpty()) {
            problem("request.resourceSpans: not a non-empty array");
            return;
        }
        int r = 0;
        for (const QJsonValue& value : resourceSpans.toArray()) {
            checkResourceSpans(value, QStringLiteral("resourceSpans[%1]").arg(r++));
        }
    }

private:
    void problem(const QString& text) { problems << text; }

    void onlyKeys(const QJsonObject& object, const QStringList& allowed, const QString& where) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!allowed.contains(it.key())) {
                problem(where + ": unknown field '" + it.key() + "'");
            }
        }
    }

    static bool isUnsignedDecimal(const QJsonValue& v) {
        static const QRegularExpression digits(QStringLiteral("^(0|[1-9][0-9]{0,19})$"));
        return v.isString() && digits.match(v.toString()).hasMatch();
    }
    static bool isHex(const QJsonValue& v, int length) {
        static const QRegularExpression hex(QStringLiteral("^[0-9a-f]+$"));
        const QString text = v.toString();
        return v.isString() && text.size() == length && hex.match(text).hasMatch() &&
               text != QString(length, QLatin1Char('0'));
    }

    void checkAnyValue(const QJsonValue& value, const QString& where) {
        if (!value.isObject()) {
            problem(where + ": AnyValue is not an object");
            return;
        }
        const QJsonObject any = value.toObject();
        onlyKeys(any,
                 {"stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue",
                  "bytesValue"},
                 where);
        if (any.size() != 1) {
            problem(where + ": AnyValue must have exactly one value (a oneof)");
            return;
        }
        const QString kind = any.begin().key();
        const QJsonValue v = any.begin().value();
        const bool ok =
            kind == u"stringValue" ? v.isString()
            : kind == u"boolValue" ? v.isBool()
            : kind == u"intValue"
                ? v.isString() &&
                      QRegularExpression(QStringLiteral("^-?[0-9]{1,19}$")).match(v.toString()).hasMatch()
            : kind == u"doubleValue" ? v.isDouble()
                                     : v.isObject() || v.isString();
        if (!ok) {
            problem(where + ": " + kind + " has the wrong JSON type");
        }
    }

    void checkAttributes(const QJsonValue& value, const QString& where) {
        if (value.isUndefined()) {
            return;
        }
        if (!value.isArray()) {
            problem(where + ": not an array of KeyValue");
            return;
        }
        QStringList keys;
        int i = 0;
        for (const QJsonValue& kv : value.toArray()) {
            const QString at = QStringLiteral("%1[%2]").arg(where).arg(i++);
            const QJsonObject o = kv.toObject();
            onlyKeys(o, {"key", "value"}, at);
            if (!o.value("key").isString() || o.value("key").toString().isEmpty()) {
                problem(at + ".key: not a non-empty string");
            }
            if (keys.contains(o.value("key").toString())) {
                problem(at + ": key '" + o.value("key").toString() + "' repeated");
            }
            keys << o.value("key").toString();
            checkAnyValue(o.value("value"), at + ".value");
        }
    }

    void checkResourceSpans(const QJsonValue& value, const QString& where) {
        const QJsonObject rs = value.toObject();
        onlyKeys(rs, {"resource", "scopeSpans", "schemaUrl"}, where);
        const QJsonObject resource = rs.value("resource").toObject();
        onlyKeys(resource, {"attributes", "droppedAttributesCount"}, where + ".resource");
        checkAttributes(resource.value("attributes"), where + ".resource.attributes");
        resourceAttributes = resource.value("attributes").toArray();
        QString service;
        for (const QJsonValue& kv : resourceAttributes) {
            if (kv.toObject().value("key").toString() == u"service.name") {
                service = kv.toObject().value("value").toObject().value("stringValue").toString();
            }
        }
        const QJsonValue scopeSpans = rs.value("scopeSpans");
        if (!scopeSpans.isArray()) {
            problem(where + ".scopeSpans: not an array");
            return;
        }
        int s = 0;
        for (const QJsonValue& ss : scopeSpans.toArray()) {
            const QString at = QStringLiteral("%1.scopeSpans[%2]").arg(where).arg(s++);
            const QJsonObject o = ss.toObject();
            onlyKeys(o, {"scope", "spans", "schemaUrl"}, at);
            const QJsonObject scope = o.value("scope").toObject();
            onlyKeys(scope, {"name", "version", "attributes", "droppedAttributesCount"}, at + ".scope");
            if (!scope.value("name").isString() || !scope.value("version").isString()) {
                problem(at + ".scope: name and version must be strings");
            }
            int i = 0;
            for (const QJsonValue& span : o.value("spans").toArray()) {
                checkSpan(span.toObject(), QStringLiteral("%1.spans[%2]").arg(at).arg(i++));
                spans.push_back({service, span.toObject()});
            }
        }
    }

    void checkSpan(const QJsonObject& span, const QString& where) {
        onlyKeys(span,
                 {"traceId", "spanId", "traceState", "parentSpanId", "flags", "name", "kind",
                  "startTimeUnixNano", "endTimeUnixNano", "attributes", "droppedAttributesCount", "events",
                  "droppedEventsCount", "links", "droppedLinksCount", "status"},
                 where);
        if (!isHex(span.value("traceId"), 32)) {
            problem(where + ".traceId: not 32 lowercase hex digits");
        }
        if (!isHex(span.value("spanId"), 16)) {
            problem(where + ".spanId: not 16 lowercase hex digits");
        }
        if (span.contains("parentSpanId") && !isHex(span.value("parentSpanId"), 16)) {
            problem(where + ".parentSpanId: not 16 lowercase hex digits");
        }
        if (!span.value("name").isString() || span.value("name").toString().isEmpty()) {
            problem(where + ".name: not a non-empty string");
        }
        // SpanKind: 0 unspecified … 5 consumer, as the enum's number.
        const QJsonValue kind = span.value("kind");
        if (!kind.isDouble() || kind.toDouble() != kind.toInt() || kind.toInt() < 0 || kind.toInt() > 5) {
            problem(where + ".kind: not a SpanKind number");
        }
        for (const char* time : {"startTimeUnixNano", "endTimeUnixNano"}) {
            if (!isUnsignedDecimal(span.value(QLatin1String(time)))) {
                problem(where + "." + time + ": not a decimal string (fixed64)");
            }
        }
        if (span.value("endTimeUnixNano").toString().toULongLong() <
            span.value("startTimeUnixNano").toString().toULongLong()) {
            problem(where + ": ends before it starts");
        }
        checkAttributes(span.value("attributes"), where + ".attributes");
        if (span.contains("status")) {
            const QJsonObject status = span.value("status").toObject();
            onlyKeys(status, {"code", "message"}, where + ".status");
            if (status.contains("code")) {
                const QJsonValue code = status.value("code");
                if (!code.isDouble() || code.toInt() < 0 || code.toInt() > 2) {
                    problem(where + ".status.code: not a StatusCode number");
                }
            }
        }
    }
};

// The value of attribute `key` of a span (or resource), or nullopt.
inline std::optional<QJsonObject> attributeValue(const QJsonArray& attributes, const QString& key) {
    for (const QJsonValue& kv : attributes) {
        if (kv.toObject().value("key").toString() == key) {
            return kv.toObject().value("value").toObject();
        }
    }
    return std::nullopt;
}

}  // namespace otlpcheck
