#include "trace/otlp_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tai {

namespace {
QJsonObject stringAttribute(const QString& key, const QString& value) {
    return QJsonObject{{QStringLiteral("key"), key},
                       {QStringLiteral("value"), QJsonObject{{QStringLiteral("stringValue"), value}}}};
}

QString nanos(TimePoint t) {
    return QString::number(
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}
}  // namespace

QByteArray otlpTraceRequest(const std::vector<std::shared_ptr<const PaymentTrace>>& traces) {
    QJsonArray spans;
    for (const auto& trace : traces) {
        for (const Span& s : spansOf(*trace)) {
            QJsonArray attributes;
            for (const auto& [key, value] : s.attributes) {
                attributes.append(stringAttribute(key, value));
            }
            QJsonObject span{
                {QStringLiteral("traceId"), trace->traceId},
                {QStringLiteral("spanId"), spanIdHex(s.spanId)},
                {QStringLiteral("name"), s.name},
                // SERVER for the root (a request arrived), INTERNAL below it.
                {QStringLiteral("kind"), s.parentId == 0 ? 2 : 1},
                {QStringLiteral("startTimeUnixNano"), nanos(s.start)},
                {QStringLiteral("endTimeUnixNano"), nanos(s.end)},
                {QStringLiteral("attributes"), attributes},
                // STATUS_CODE_ERROR = 2, STATUS_CODE_OK = 1
                {QStringLiteral("status"), QJsonObject{{QStringLiteral("code"), s.error ? 2 : 1}}}};
            if (s.parentId != 0) {
                span.insert(QStringLiteral("parentSpanId"), spanIdHex(s.parentId));
            }
            spans.append(span);
        }
    }
    const QJsonObject resource{
        {QStringLiteral("attributes"),
         QJsonArray{stringAttribute(QStringLiteral("service.name"), QStringLiteral("tai-console"))}}};
    const QJsonObject scope{{QStringLiteral("name"), QStringLiteral("tai-console")},
                            {QStringLiteral("version"), QStringLiteral(TAI_VERSION)}};
    const QJsonObject request{
        {QStringLiteral("resourceSpans"),
         QJsonArray{QJsonObject{
             {QStringLiteral("resource"), resource},
             {QStringLiteral("scopeSpans"), QJsonArray{QJsonObject{{QStringLiteral("scope"), scope},
                                                                   {QStringLiteral("spans"), spans}}}}}}}};
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

}  // namespace tai
