#include "fleet/fleet_snapshot.h"

#include "fleet/fleet_names.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <array>
#include <cmath>

namespace tai::fleet {

namespace {

// Bounds on what a decoded snapshot may hold, so a hostile one cannot grow the client's memory.
constexpr int kMaxItems = 512;
constexpr int kMaxText = 256;

QJsonObject encodeBody(const FleetSnapshot& s, bool withRollouts, bool withAlerts) {
    QJsonObject o;
    o.insert(QStringLiteral("v"), FleetSnapshot::kVersion);
    o.insert(QStringLiteral("instance"), s.instance);
    o.insert(QStringLiteral("seq"), QString::number(s.sequence));
    o.insert(QStringLiteral("at_ms"), static_cast<qint64>(s.publishedAtMs));
    o.insert(QStringLiteral("light"), s.light);
    o.insert(QStringLiteral("leader"), s.leader);
    o.insert(QStringLiteral("policy"), s.policyVersion);
    o.insert(QStringLiteral("token_fill"), s.tokenFill);
    QJsonArray breakers;
    for (const auto& b : s.breakers) {
        breakers.append(QJsonObject{{QStringLiteral("name"), b.name},
                                    {QStringLiteral("state"), b.state},
                                    {QStringLiteral("forced"), b.forced},
                                    {QStringLiteral("owner"), b.owner}});
    }
    o.insert(QStringLiteral("breakers"), breakers);
    QJsonArray queues;
    for (const auto& q : s.queues) {
        queues.append(QJsonObject{{QStringLiteral("name"), q.name},
                                  {QStringLiteral("depth"), static_cast<qint64>(q.depth)},
                                  {QStringLiteral("capacity"), static_cast<qint64>(q.capacity)}});
    }
    o.insert(QStringLiteral("queues"), queues);
    QJsonObject values;
    for (const auto& [name, count] : s.counters) {
        values.insert(name, static_cast<qint64>(count));
    }
    o.insert(QStringLiteral("counters"),
             QJsonObject{{QStringLiteral("since_ms"), static_cast<qint64>(s.countersSinceMs)},
                         {QStringLiteral("values"), values}});
    QJsonArray buckets;  // [[index, count], …]: sparse and ordered
    for (const auto& [index, count] : s.latency.buckets()) {
        buckets.append(QJsonArray{index, static_cast<qint64>(count)});
    }
    o.insert(QStringLiteral("latency"),
             QJsonObject{{QStringLiteral("unit"), s.latencyUnit},
                         {QStringLiteral("max"), static_cast<qint64>(s.latency.max())},
                         {QStringLiteral("buckets"), buckets}});
    QStringList truncated = s.truncated;
    if (withAlerts) {
        QJsonArray alerts;
        for (const auto& a : s.alerts) {
            alerts.append(QJsonObject{{QStringLiteral("rule"), a.rule},
                                      {QStringLiteral("subject"), a.subject},
                                      {QStringLiteral("severity"), a.severity},
                                      {QStringLiteral("state"), a.state}});
        }
        o.insert(QStringLiteral("alerts"), alerts);
    } else {
        truncated << QStringLiteral("alerts");
    }
    if (withRollouts) {
        QJsonArray rollouts;
        for (const auto& r : s.rollouts) {
            rollouts.append(r);
        }
        o.insert(QStringLiteral("rollouts"), rollouts);
    } else {
        truncated << QStringLiteral("rollouts");
    }
    if (!truncated.isEmpty()) {
        o.insert(QStringLiteral("truncated"), QJsonArray::fromStringList(truncated));
    }
    return o;
}

class Reader {
public:
    explicit Reader(QString* error) : error_(error) {}

    bool fail(const QString& why) {
        if (error_->isEmpty()) {
            *error_ = why;
        }
        return false;
    }
    QString text(const QJsonObject& o, QStringView field, const QString& where) {
        const QJsonValue v = o.value(field);
        if (v.isUndefined() || v.isNull()) {
            return {};
        }
        if (!v.isString() || v.toString().size() > kMaxText) {
            fail(where + u'.' + field + u": a string of at most " + QString::number(kMaxText) +
                 u" characters");
            return {};
        }
        return v.toString();
    }
    std::int64_t integer(const QJsonObject& o, QStringView field, const QString& where) {
        const QJsonValue v = o.value(field);
        if (v.isUndefined()) {
            return 0;
        }
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 0 || d > 9.0e15 || std::floor(d) != d) {
            fail(where + u'.' + field + u": a non-negative integer");
            return 0;
        }
        return static_cast<std::int64_t>(d);
    }
    QJsonArray array(const QJsonObject& o, QStringView field) {
        const QJsonValue v = o.value(field);
        if (v.isUndefined()) {
            return {};
        }
        if (!v.isArray() || v.toArray().size() > kMaxItems) {
            fail(field + u": a list of at most " + QString::number(kMaxItems) + u" items");
            return {};
        }
        return v.toArray();
    }

private:
    QString* error_;
};

}  // namespace

FleetResult<QByteArray> encodeFleetSnapshot(const FleetSnapshot& snapshot, QStringList* leftOut) {
    // Drop the least essential sections first: rollouts (the controller's own view has them), then alerts.
    const std::array<std::array<bool, 2>, 3> steps{{{true, true}, {false, true}, {false, false}}};
    for (const auto& step : steps) {
        QByteArray bytes =
            QJsonDocument(encodeBody(snapshot, step[0], step[1])).toJson(QJsonDocument::Compact);
        if (bytes.size() <= FleetSnapshot::kMaxBytes) {
            if (leftOut != nullptr) {
                leftOut->clear();
                if (!step[0]) {
                    *leftOut << QStringLiteral("rollouts");
                }
                if (!step[1]) {
                    *leftOut << QStringLiteral("alerts");
                }
            }
            return bytes;
        }
    }
    return FleetError::make(
        FleetError::Kind::TooLarge,
        u"snapshot of " + snapshot.instance + u": more than " + QString::number(FleetSnapshot::kMaxBytes) +
            u" bytes without its rollouts and alerts (too many breakers, queues or counters)");
}

FleetResult<FleetSnapshot> decodeFleetSnapshot(const QByteArray& bytes) {
    const auto bad = [](const QString& why) {
        return FleetError::make(FleetError::Kind::BadData, u"snapshot: " + why);
    };
    if (bytes.size() > FleetSnapshot::kMaxBytes) {
        return FleetError::make(FleetError::Kind::TooLarge, u"snapshot: " + QString::number(bytes.size()) +
                                                                u" bytes, more than " +
                                                                QString::number(FleetSnapshot::kMaxBytes));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return bad(u"not a JSON object (" + parseError.errorString() + u" at offset " +
                   QString::number(parseError.offset) + u')');
    }
    const QJsonObject o = document.object();
    if (o.value(u"v").toInt() != FleetSnapshot::kVersion) {
        return bad(u"version " + o.value(u"v").toVariant().toString() + u" is not supported (expected " +
                   QString::number(FleetSnapshot::kVersion) + u')');
    }
    QString error;
    Reader read(&error);
    FleetSnapshot s;
    s.instance = read.text(o, u"instance", QStringLiteral("snapshot"));
    if (error.isEmpty() && !FleetNames::isValidInstanceId(s.instance)) {
        return bad(u"instance '" + s.instance + u"' is not a valid instance id");
    }
    bool ok = false;
    s.sequence = o.value(u"seq").toString().toULongLong(&ok);
    if (!ok) {
        return bad(QStringLiteral("seq: a decimal string"));
    }
    s.publishedAtMs = read.integer(o, u"at_ms", QStringLiteral("snapshot"));
    s.light = read.text(o, u"light", QStringLiteral("snapshot"));
    s.leader = o.value(u"leader").toBool();
    s.policyVersion = read.text(o, u"policy", QStringLiteral("snapshot"));
    s.tokenFill = std::clamp(o.value(u"token_fill").toDouble(), 0.0, 1.0);
    int i = 0;
    for (const QJsonValue v : read.array(o, u"breakers")) {
        const QString where = u"breakers[" + QString::number(i++) + u']';
        const QJsonObject b = v.toObject();
        FleetSnapshot::Breaker breaker{read.text(b, u"name", where), read.text(b, u"state", where),
                                       b.value(u"forced").toBool(), read.text(b, u"owner", where)};
        if (breaker.name.isEmpty() && error.isEmpty()) {
            return bad(where + u".name: required");
        }
        s.breakers.push_back(std::move(breaker));
    }
    i = 0;
    for (const QJsonValue v : read.array(o, u"queues")) {
        const QString where = u"queues[" + QString::number(i++) + u']';
        const QJsonObject q = v.toObject();
        s.queues.push_back({read.text(q, u"name", where), read.integer(q, u"depth", where),
                            read.integer(q, u"capacity", where)});
    }
    const QJsonObject counters = o.value(u"counters").toObject();
    s.countersSinceMs = read.integer(counters, u"since_ms", QStringLiteral("counters"));
    const QJsonObject values = counters.value(u"values").toObject();
    if (values.size() > kMaxItems) {
        return bad(QStringLiteral("counters.values: too many counters"));
    }
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (it.key().size() > kMaxText) {
            return bad(QStringLiteral("counters.values: a counter name is too long"));
        }
        s.counters[it.key()] =
            static_cast<std::uint64_t>(read.integer(values, it.key(), QStringLiteral("counters.values")));
    }
    const QJsonObject latency = o.value(u"latency").toObject();
    s.latencyUnit = read.text(latency, u"unit", QStringLiteral("latency"));
    const QJsonValue buckets = latency.value(u"buckets");
    if (!buckets.isUndefined() &&
        (!buckets.isArray() || buckets.toArray().size() > SparseLatencyHistogram::bucketCount())) {
        return bad(QStringLiteral("latency.buckets: a list of [index, count] pairs"));
    }
    for (const QJsonValue pair : buckets.toArray()) {
        const QJsonArray p = pair.toArray();
        const double index = p.size() == 2 ? p.at(0).toDouble(-1) : -1;
        const double count = p.size() == 2 ? p.at(1).toDouble(-1) : -1;
        if (index < 0 || count < 0 || std::floor(index) != index || std::floor(count) != count ||
            count > 9.0e15 || !s.latency.add(static_cast<int>(index), static_cast<std::uint64_t>(count))) {
            return bad(
                QStringLiteral("latency.buckets: a list of [index, count] pairs in the kaizen layout"));
        }
    }
    s.latency.setMax(static_cast<std::uint64_t>(read.integer(latency, u"max", QStringLiteral("latency"))));
    i = 0;
    for (const QJsonValue v : read.array(o, u"alerts")) {
        const QString where = u"alerts[" + QString::number(i++) + u']';
        const QJsonObject a = v.toObject();
        s.alerts.push_back({read.text(a, u"rule", where), read.text(a, u"subject", where),
                            read.text(a, u"severity", where), read.text(a, u"state", where)});
    }
    for (const QJsonValue v : read.array(o, u"rollouts")) {
        s.rollouts.push_back(v.toObject());
    }
    for (const QJsonValue v : read.array(o, u"truncated")) {
        s.truncated << v.toString().left(kMaxText);
    }
    if (!error.isEmpty()) {
        return bad(error);
    }
    return s;
}

}  // namespace tai::fleet
