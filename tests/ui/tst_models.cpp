// Every model passes QAbstractItemModelTester, through merges, trimming and filtering.
#include "audit_log_model.h"
#include "audit_log_view.h"
#include "timeline_model.h"
#include "timeline_view.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QComboBox>
#include <QFont>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtTest>

using namespace tai;

namespace {
std::vector<TimelineEvent> events(std::uint64_t first, std::uint64_t last, const QString& kind = "operator") {
    std::vector<TimelineEvent> out;
    for (auto seq = first; seq <= last; ++seq) {
        out.push_back(TimelineEvent{seq, TimePoint{std::chrono::seconds(seq)}, kind, "payment-gateway",
                                    QStringLiteral("event %1").arg(seq)});
    }
    return out;
}
}  // namespace

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void timelineMergesNewestFirstWithoutResetting() {
        ui::TimelineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        model.merge(events(1, 3));
        model.merge(events(1, 5));  // a snapshot repeats old events: only 4 and 5 are new
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(inserts.count(), 2);
        QCOMPARE(model.index(0, ui::TimelineModel::Event).data().toString(), QStringLiteral("event 5"));
        QCOMPARE(model.index(4, ui::TimelineModel::Event).data().toString(), QStringLiteral("event 1"));
        model.merge(events(5, 5));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(resets.count(), 0);
    }

    // Issue 17, item 10: a refused command reads as refused, not as one carried out.
    void aRefusedCommandIsMarkedOnTheTimeline() {
        ui::TimelineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto rows = events(1, 2);
        rows[1].refused = true;
        rows[1].text = "rollback d-1 us-west-2 by ana REFUSED (conflict): us-west-2 is rolled_back";
        model.merge(rows);
        const QModelIndex refused = model.index(0, ui::TimelineModel::Kind);  // newest first
        const QModelIndex applied = model.index(1, ui::TimelineModel::Kind);
        QCOMPARE(refused.data().toString(), QStringLiteral("operator · REFUSED"));
        QCOMPARE(applied.data().toString(), QStringLiteral("operator"));
        QCOMPARE(model.index(0, ui::TimelineModel::Event).data(Qt::ForegroundRole).value<QBrush>().color(),
                 QColor(0xd0, 0x31, 0x2d));
        QVERIFY(model.index(0, ui::TimelineModel::Event).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model.index(1, ui::TimelineModel::Event).data(Qt::FontRole).isValid());
    }

    // Issue 17, item 11: the kind filter offers deployments and Andon alerts too.
    void theKindFilterOffersEveryKindOnTheTimeline() {
        ui::TimelineView view;
        QAbstractItemModelTester tester(view.filtered(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EngineSnapshot s;
        auto rows = events(1, 3);
        rows[0].kind = "deployment";
        rows[1].kind = "andon";
        rows[2].refused = true;  // an operator command, refused
        s.timeline = rows;
        view.showSnapshot(s);
        for (const QString kind : {"deployment", "andon", "operator"}) {
            const int index = view.kindFilter()->findData(kind);
            QVERIFY2(index >= 0, qPrintable(kind));
            view.kindFilter()->setCurrentIndex(index);
            QCOMPARE(view.filtered()->rowCount(), 1);
        }
    }

    // Issue 17, item 11: the audit log shows the newest event on top, with its whole time.
    void theAuditLogShowsTheNewestFirst() {
        ui::AuditLogView view;
        QAbstractItemModelTester tester(view.shown(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setSource(
            [](const AuditQuery&) {
                AuditPage page;
                for (int i = 1; i <= 30; ++i) {
                    page.records.push_back(AuditRecord{
                        i, AuditRow{1000 + i, "t", "decision", QStringLiteral("p%1").arg(i), "{}", "v1"}});
                }
                return QtFuture::makeReadyFuture(page);
            },
            {});
        QSignalSpy loaded(&view, &ui::AuditLogView::pageLoaded);
        view.refresh();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(view.shown()->index(0, ui::AuditLogModel::Seq).data().toLongLong(), 30);
        QCOMPARE(view.shown()->index(29, ui::AuditLogModel::Seq).data().toLongLong(), 1);
        auto* table = view.findChild<QTableView*>();
        const QString time = view.shown()->index(0, ui::AuditLogModel::Time).data().toString();
        QVERIFY2(
            table->fontMetrics().horizontalAdvance(time) <= table->columnWidth(ui::AuditLogModel::Time) - 6,
            qPrintable(time));
    }

    void timelineTrimsTheOldestRows() {
        ui::TimelineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.merge(events(1, 900));
        model.merge(events(901, 1200));
        QCOMPARE(model.rowCount(), ui::TimelineModel::kMaxRows);
        QCOMPARE(model.index(0, ui::TimelineModel::Event).data().toString(), QStringLiteral("event 1200"));
        QCOMPARE(model.index(ui::TimelineModel::kMaxRows - 1, ui::TimelineModel::Event).data().toString(),
                 QStringLiteral("event 201"));
    }

    void auditLogAppendsPagesAndStartsOverForANewFilter() {
        ui::AuditLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<AuditRecord> page;
        for (int i = 1; i <= 20; ++i) {
            page.push_back(AuditRecord{
                i, AuditRow{1000 + i, "t", "decision", QStringLiteral("p%1").arg(i), "{}", "v1"}});
        }
        model.appendPage(page);
        model.appendPage({AuditRecord{21, AuditRow{2000, "t", "operator", "payment-gateway", "{}", "v1"}}});
        QCOMPARE(model.rowCount(), 21);
        QCOMPARE(model.lastSeq(), 21);
        QCOMPARE(model.index(20, ui::AuditLogModel::Kind).data().toString(), QStringLiteral("operator"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.appendPage({});
        QCOMPARE(model.rowCount(), 0);
    }

    void filteredTimelinePassesTheTesterToo() {
        ui::TimelineView view;
        QAbstractItemModelTester tester(view.filtered(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EngineSnapshot snapshot;
        snapshot.timeline = events(1, 10, "operator");
        auto more = events(11, 14, "breaker_transition");
        snapshot.timeline.insert(snapshot.timeline.end(), more.begin(), more.end());
        view.showSnapshot(snapshot);
        QCOMPARE(view.filtered()->rowCount(), 14);
        view.kindFilter()->setCurrentIndex(view.kindFilter()->findData("breaker_transition"));
        QCOMPARE(view.filtered()->rowCount(), 4);
        view.textFilter()->setText("event 12");
        QCOMPARE(view.filtered()->rowCount(), 1);
        view.kindFilter()->setCurrentIndex(0);
        view.textFilter()->clear();
        snapshot.timeline = events(15, 20, "shed");
        view.showSnapshot(snapshot);
        QCOMPARE(view.filtered()->rowCount(), 20);
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
