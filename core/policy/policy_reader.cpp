#include "policy/policy_reader.h"

#include "base/money.h"

#include <QJsonArray>

#include <cmath>

namespace tai {

PolicyReader::PolicyReader(QJsonObject object, QString path, QStringList& errors)
    : object_(std::move(object)), path_(std::move(path)), errors_(errors) {}

PolicyReader::~PolicyReader() {
    for (auto it = object_.constBegin(); it != object_.constEnd(); ++it) {
        if (!known_.contains(it.key())) {
            errors_ << pathOf(it.key()) + QStringLiteral(": unknown key");
        }
    }
}

bool PolicyReader::present(const QString& key) {
    known_.insert(key);
    return object_.contains(key);
}

void PolicyReader::error(const QString& key, const QString& message) {
    errors_ << pathOf(key) + QStringLiteral(": ") + message;
}

void PolicyReader::integer(const QString& key, int& out, int min, int max) {
    if (!present(key)) {
        return;
    }
    const QJsonValue v = object_.value(key);
    const double d = v.toDouble();
    if (!v.isDouble() || std::floor(d) != d || d < min || d > max) {
        error(key, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
        return;
    }
    out = static_cast<int>(d);
}

void PolicyReader::number(const QString& key, double& out, double min, double max) {
    if (!present(key)) {
        return;
    }
    const QJsonValue v = object_.value(key);
    if (!v.isDouble() || v.toDouble() < min || v.toDouble() > max) {
        error(key, QStringLiteral("must be a number from %1 to %2").arg(min).arg(max));
        return;
    }
    out = v.toDouble();
}

void PolicyReader::text(const QString& key, QString& out) {
    if (!present(key)) {
        return;
    }
    const QJsonValue v = object_.value(key);
    if (!v.isString() || v.toString().isEmpty()) {
        error(key, QStringLiteral("must be a non-empty string"));
        return;
    }
    out = v.toString();
}

void PolicyReader::oneOf(const QString& key, QString& out, const QStringList& allowed) {
    if (!present(key)) {
        return;
    }
    const QJsonValue v = object_.value(key);
    if (!v.isString() || !allowed.contains(v.toString())) {
        error(key, QStringLiteral("must be one of ") + allowed.join(QStringLiteral(", ")));
        return;
    }
    out = v.toString();
}

void PolicyReader::stringList(const QString& key, QStringList& out, bool nonEmpty) {
    if (!present(key)) {
        return;
    }
    const QJsonValue v = object_.value(key);
    if (!v.isArray()) {
        error(key, QStringLiteral("must be an array of strings"));
        return;
    }
    QStringList values;
    const QJsonArray array = v.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString() || array.at(i).toString().isEmpty()) {
            error(key + QStringLiteral("[%1]").arg(i), QStringLiteral("must be a non-empty string"));
            return;
        }
        values << array.at(i).toString();
    }
    if (nonEmpty && values.isEmpty()) {
        error(key, QStringLiteral("must not be empty"));
        return;
    }
    out = values;
}

void PolicyReader::stringSet(const QString& key, QSet<QString>& out) {
    QStringList values;
    const auto before = errors_.size();
    stringList(key, values, false);
    if (object_.contains(key) && errors_.size() == before) {
        out = QSet<QString>(values.cbegin(), values.cend());
    }
}

void PolicyReader::money(const QString& key, std::int64_t& out) {
    if (!present(key)) {
        return;
    }
    const auto minor = parseMinorUnits(object_.value(key));
    if (!minor || *minor < 0) {
        error(key, QStringLiteral("must be an amount like \"5000.00\""));
        return;
    }
    out = *minor;
}

void PolicyReader::seconds(const QString& key, Duration& out, int min, int max) {
    int value = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(out).count());
    const auto before = errors_.size();
    integer(key, value, min, max);
    if (errors_.size() == before) {
        out = std::chrono::seconds(value);
    }
}

void PolicyReader::object(const QString& key, const std::function<void(PolicyReader&)>& read) {
    if (!present(key)) {
        return;
    }
    const QJsonValue v = object_.value(key);
    if (!v.isObject()) {
        error(key, QStringLiteral("must be an object"));
        return;
    }
    PolicyReader child(v.toObject(), pathOf(key), errors_);
    read(child);
}

void PolicyReader::objectArray(const QString& key, const std::function<void(PolicyReader&, int)>& read) {
    if (!present(key)) {
        return;
    }
    const QJsonValue v = object_.value(key);
    if (!v.isArray() || v.toArray().isEmpty()) {
        error(key, QStringLiteral("must be a non-empty array of objects"));
        return;
    }
    const QJsonArray array = v.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemPath = pathOf(key) + QStringLiteral("[%1]").arg(i);
        if (!array.at(i).isObject()) {
            errors_ << itemPath + QStringLiteral(": must be an object");
            continue;
        }
        PolicyReader child(array.at(i).toObject(), itemPath, errors_);
        read(child, static_cast<int>(i));
    }
}

}  // namespace tai
