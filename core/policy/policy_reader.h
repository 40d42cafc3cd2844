#pragma once

#include "base/clock.h"

#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <functional>

namespace tai {

// Reads one JSON object of a policy file against the keys the caller asks for. A missing key
// leaves the default; a wrong type or range, and (on finish) every key nobody asked for, is an
// error that names the full key path, e.g. "payments.breaker.failure_threshold".
class PolicyReader {
public:
    PolicyReader(QJsonObject object, QString path, QStringList& errors);
    ~PolicyReader();
    PolicyReader(const PolicyReader&) = delete;
    PolicyReader& operator=(const PolicyReader&) = delete;

    void integer(const QString& key, int& out, int min, int max);
    void number(const QString& key, double& out, double min, double max);
    void text(const QString& key, QString& out);
    void oneOf(const QString& key, QString& out, const QStringList& allowed);
    void stringSet(const QString& key, QSet<QString>& out);
    void stringList(const QString& key, QStringList& out, bool nonEmpty);
    void money(const QString& key, std::int64_t& out);
    void seconds(const QString& key, Duration& out, int min, int max);
    void object(const QString& key, const std::function<void(PolicyReader&)>& read);
    void objectArray(const QString& key, const std::function<void(PolicyReader&, int index)>& read);
    void error(const QString& key, const QString& message);

    QString pathOf(const QString& key) const {
        return path_.isEmpty() ? key : path_ + QLatin1Char('.') + key;
    }

private:
    bool present(const QString& key);

    QJsonObject object_;
    QString path_;
    QStringList& errors_;
    QSet<QString> known_;
};

}  // namespace tai
