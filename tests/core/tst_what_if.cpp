// Debrief → "What if…" (issue 15, build item 4): a training run's audit trail as a replay input.
#include "scenario/what_if.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace tai;

namespace {
const TimePoint kStart{std::chrono::seconds(1'767'225'600)};

AuditRecord decision(std::int64_t seq, double atS, const QString& id, bool valid = true) {
    QJsonObject payload{{QStringLiteral("id"), id}, {QStringLiteral("status"), QStringLiteral("charged")}};
    if (valid) {
        payload.insert(QStringLiteral("customer_id"), QString(QStringLiteral("cust_") + id));
        payload.insert(QStringLiteral("merchant_id"), QStringLiteral("m1"));
        payload.insert(QStringLiteral("amount"), QStringLiteral("12.50"));
        payload.insert(QStringLiteral("currency"), QStringLiteral("EUR"));
    }
    AuditRecord r;
    r.seq = seq;
    r.row.atMs = toEpochMs(kStart) + static_cast<std::int64_t>(atS * 1000);
    r.row.kind = QStringLiteral("decision");
    r.row.subject = id;
    r.row.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact);
    return r;
}

std::vector<QJsonObject> linesOf(const QByteArray& jsonl) {
    std::vector<QJsonObject> out;
    for (const QByteArray& line : jsonl.split('\n')) {
        if (!line.isEmpty()) {
            out.push_back(QJsonDocument::fromJson(line).object());
        }
    }
    return out;
}
}  // namespace

class TestWhatIf : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eachDecisionBecomesAPaymentThatMeetsTheGatewayOfItsTime() {
        // The gateway is down from 10 s for 5 s; a deployment goes out at 12 s.
        const QJsonObject session =
            QJsonDocument::fromJson(
                "{\"events\": ["
                "{\"at_s\": 10, \"do\": \"gateway.fault\", \"down\": true, \"for_s\": 5},"
                "{\"at_s\": 12, \"do\": \"deploy\", \"service\": \"api-service\", "
                "\"version\": \"v2.0.0\", \"actor\": \"trainee\"}]}")
                .object();
        const std::vector<AuditRecord> rows{
            decision(3, 11, QStringLiteral("p-during")), decision(1, 1, QStringLiteral("p-before")),
            decision(2, 5, QStringLiteral("p-invalid"), false), decision(4, 20, QStringLiteral("p-after"))};
        const WhatIfInput input = whatIfInput(rows, session, 7, kStart);
        QCOMPARE(input.payments, 3);
        QCOMPARE(input.deployments, 1);
        QCOMPARE(input.skipped, 1);
        const auto lines = linesOf(input.jsonl);
        QCOMPARE(lines.size(), std::size_t{4});
        QStringList order;
        for (const QJsonObject& l : lines) {
            order
                << l.value(QStringLiteral("type")).toString() + QLatin1Char(':') +
                       l.value(QStringLiteral("id")).toString(l.value(QStringLiteral("service")).toString());
        }
        QCOMPARE(order,
                 (QStringList{QStringLiteral("payment:p-before"), QStringLiteral("payment:p-during"),
                              QStringLiteral("deployment:api-service"), QStringLiteral("payment:p-after")}));
        QCOMPARE(lines[0].value("sim").toObject().value("gateway").toString(), QStringLiteral("ok"));
        QCOMPARE(lines[1].value("sim").toObject().value("gateway").toString(),
                 QStringLiteral("error"));  // down
        QCOMPARE(lines[3].value("sim").toObject().value("gateway").toString(),
                 QStringLiteral("ok"));  // back up
        QCOMPARE(lines[1].value("customer_id").toString(), QStringLiteral("cust_p-during"));
        QCOMPARE(lines[1].value("amount").toString(), QStringLiteral("12.50"));
        QCOMPARE(lines[1].value("timestamp").toInteger(), toEpochMs(kStart) + 11'000);
        QCOMPARE(lines[2].value("version").toString(), QStringLiteral("v2.0.0"));
        QVERIFY(!lines[2].contains(QStringLiteral("actor")));  // not a §5.1 field
        QCOMPARE(lines[2].value("timestamp").toInteger(), toEpochMs(kStart) + 12'000);
    }

    void anErrorRateFailsTheSharesTheSimulatorWouldFail() {
        // 40 % errors for the whole run: the same seed fails the same payments, about 40 % of them.
        const QJsonObject session =
            QJsonDocument::fromJson(
                "{\"events\": [{\"at_s\": 0, \"do\": \"gateway.fault\", \"error_rate\": 0.4}]}")
                .object();
        std::vector<AuditRecord> rows;
        for (int i = 0; i < 1000; ++i) {
            rows.push_back(decision(i + 1, i * 0.01, QStringLiteral("p%1").arg(i)));
        }
        const auto first = linesOf(whatIfInput(rows, session, 7, kStart).jsonl);
        const auto again = linesOf(whatIfInput(rows, session, 7, kStart).jsonl);
        const auto otherSeed = linesOf(whatIfInput(rows, session, 8, kStart).jsonl);
        int errors = 0;
        int differentUnderAnotherSeed = 0;
        for (std::size_t i = 0; i < first.size(); ++i) {
            const QString g = first[i].value("sim").toObject().value("gateway").toString();
            errors += g == u"error" ? 1 : 0;
            QCOMPARE(again[i].value("sim").toObject().value("gateway").toString(), g);
            differentUnderAnotherSeed +=
                otherSeed[i].value("sim").toObject().value("gateway").toString() != g;
        }
        QVERIFY2(errors > 330 && errors < 470, qPrintable(QString::number(errors)));
        QVERIFY(differentUnderAnotherSeed > 0);
    }
};

QTEST_GUILESS_MAIN(TestWhatIf)
#include "tst_what_if.moc"
