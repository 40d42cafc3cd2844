#include "fleet/ledger_entry_json.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tai::fleet {

QByteArray encodeLedgerEntry(const LedgerEntry& entry) {
    QJsonObject o;
    o.insert(QStringLiteral("v"), 1);
    o.insert(QStringLiteral("key"), entry.key);
    o.insert(QStringLiteral("state"), claimStateName(entry.state));
    o.insert(QStringLiteral("hash"), QString::fromLatin1(entry.bodyHash.toBase64()));
    o.insert(QStringLiteral("owner"), entry.owner);
    o.insert(QStringLiteral("claim"), entry.claimId);
    o.insert(QStringLiteral("claimed_at_ms"), static_cast<qint64>(entry.claimedAtMs));
    o.insert(QStringLiteral("updated_at_ms"), static_cast<qint64>(entry.updatedAtMs));
    if (!entry.response.isEmpty()) {
        o.insert(QStringLiteral("response"), QString::fromLatin1(entry.response.toBase64()));
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

FleetResult<LedgerEntry> decodeLedgerEntry(const QByteArray& bytes, std::uint64_t revision) {
    const auto bad = [](const QString& why) {
        return FleetError::make(FleetError::Kind::BadData, u"ledger entry: " + why);
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return bad(u"not a JSON object (" + parseError.errorString() + u')');
    }
    const QJsonObject o = document.object();
    if (o.value(u"v").toInt() != 1) {
        return bad(u"unsupported version " + QString::number(o.value(u"v").toInt()));
    }
    const auto text = [&o](QStringView field) {
        return o.value(field).toString();
    };
    LedgerEntry entry;
    entry.revision = revision;
    entry.key = text(u"key");
    entry.owner = text(u"owner");
    entry.claimId = text(u"claim");
    if (entry.key.isEmpty() || entry.owner.isEmpty() || entry.claimId.isEmpty()) {
        return bad(QStringLiteral("'key', 'owner' and 'claim' are required"));
    }
    const auto state = claimStateFromString(text(u"state"));
    if (!state) {
        return bad(u"'state' is '" + text(u"state") + u"', not in_flight, done or in_doubt");
    }
    entry.state = *state;
    const auto decode = [](const QString& base64, QByteArray* out) {
        auto result =
            QByteArray::fromBase64Encoding(base64.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        *out = std::move(*result);
        return static_cast<bool>(result);
    };
    if (!decode(text(u"hash"), &entry.bodyHash) || entry.bodyHash.isEmpty()) {
        return bad(QStringLiteral("'hash' is not base64"));
    }
    if (o.contains(u"response") && !decode(text(u"response"), &entry.response)) {
        return bad(QStringLiteral("'response' is not base64"));
    }
    entry.claimedAtMs = o.value(u"claimed_at_ms").toInteger();
    entry.updatedAtMs = o.value(u"updated_at_ms").toInteger();
    return entry;
}

}  // namespace tai::fleet
