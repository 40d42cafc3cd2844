#pragma once

// Test support for the audit store suites: a populated database, the damage issue 14 lists, and a
// validator standing in for the payments layer's.
#include "audit/audit_store.h"
#include "raw_database.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

#include <future>

namespace audit_fixture {

inline constexpr std::int64_t kNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

inline QString keyFor(int i) {
    return QStringLiteral("order-%1").arg(i, 6, 10, QLatin1Char('0'));
}
inline QByteArray hashFor(int i) {
    return QByteArray::number(i).toHex().leftJustified(64, 'a');
}
inline QByteArray responseFor(int i) {
    return QStringLiteral(R"({"id":"pay_%1","receipt_id":"rcpt_%1","status":"charged"})").arg(i).toUtf8();
}

// What the payments layer checks: the response parses and says what happened.
inline QString validate(const tai::IdempotencyRow& row) {
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(row.response, &error).object();
    if (error.error != QJsonParseError::NoError) {
        return QStringLiteral("the stored response is not JSON");
    }
    if (!o.value(QStringLiteral("status")).isString()) {
        return QStringLiteral("the stored response has no status");
    }
    return {};
}

inline tai::AuditStore::Options options(const QString& path, std::int64_t* now = nullptr) {
    tai::AuditStore::Options o;
    o.path = path;
    o.nowMs = [now] {
        return now ? *now : kNow;
    };
    o.validateKey = validate;
    return o;
}

// `keys` keyed decisions (a decision row and its idempotency row each), closed cleanly so the WAL
// is folded into the main file.
inline void populate(const QString& path, int keys, int extraEvents = 0) {
    QString error;
    auto store = tai::AuditStore::open(options(path), &error);
    QVERIFY2(store, qPrintable(error));
    for (int i = 0; i < keys; ++i) {
        const QByteArray payload =
            R"({"idempotency_key":")" + keyFor(i).toUtf8() + R"(","status":"charged"})";
        store->appendDurable(
            {tai::AuditRow{kNow - keys + i, QStringLiteral("trace-%1").arg(i), QStringLiteral("decision"),
                           QStringLiteral("pay_%1").arg(i), payload, QStringLiteral("v1")}},
            tai::IdempotencyRow{keyFor(i), hashFor(i), responseFor(i), kNow - keys + i}, {});
    }
    for (int i = 0; i < extraEvents; ++i) {
        store->append(tai::AuditRow{kNow,
                                    {},
                                    QStringLiteral("operator"),
                                    QStringLiteral("gateway"),
                                    R"({"actor":"ana"})",
                                    QStringLiteral("v1")});
    }
    QVERIFY(store->flush());
    QVERIFY(store->close(std::chrono::seconds(5)).clean());
}

// `count` overwrites of `size` random bytes at random offsets, from `seed`.
inline void overwriteRandomly(const QString& path, quint32 seed, int count, int size) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QRandomGenerator random(seed);
    const qint64 length = file.size();
    for (int i = 0; i < count; ++i) {
        QByteArray garbage(size, Qt::Uninitialized);
        for (char& c : garbage) {
            c = static_cast<char>(random.bounded(256));
        }
        file.seek(random.bounded(static_cast<quint64>(length - size)));
        file.write(garbage);
    }
}

inline void truncateTo(const QString& path, double fraction) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.resize(static_cast<qint64>(static_cast<double>(file.size()) * fraction)));
}

}  // namespace audit_fixture
