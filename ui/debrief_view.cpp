#include "debrief_view.h"

#include "andon/andon_types.h"
#include "scenario/what_if.h"
#include "scenario_events_model.h"
#include "status_colors.h"
#include "training_text.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tai::ui {

DebriefView::DebriefView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("debriefView"));
    auto* layout = new QVBoxLayout(this);
    heading_ = new QLabel(this);
    heading_->setStyleSheet(QStringLiteral("QLabel { font-size: 13pt; font-weight: bold; }"));
    heading_->setWordWrap(true);
    layout->addWidget(heading_);
    auto* top = new QHBoxLayout;
    verdict_ = new QLabel(this);
    top->addWidget(verdict_, 1);
    auto* saveReport = new QPushButton(QStringLiteral("Save report…"), this);
    saveReport->setToolTip(
        QStringLiteral("The run's report as JSON (DESIGN.md §9.5), audit digest included"));
    connect(saveReport, &QPushButton::clicked, this, &DebriefView::saveReportRequested);
    auto* saveSession = new QPushButton(QStringLiteral("Save session…"), this);
    saveSession->setToolTip(
        QStringLiteral("A scenario file that replays this run exactly, your commands included"));
    connect(saveSession, &QPushButton::clicked, this, &DebriefView::saveSessionRequested);
    whatIf_ = new QPushButton(QStringLiteral("What if…"), this);
    whatIf_->setObjectName(QStringLiteral("whatIf"));
    whatIf_->setToolTip(
        QStringLiteral("Replay this run's payments and deployments under another policy file and see which "
                       "decisions would have changed"));
    connect(whatIf_, &QPushButton::clicked, this, &DebriefView::whatIfRequested);
    top->addWidget(whatIf_);
    top->addWidget(saveReport);
    top->addWidget(saveSession);
    layout->addLayout(top);

    objectives_ = new QTreeWidget(this);
    objectives_->setColumnCount(2);
    objectives_->setHeaderLabels({QStringLiteral("Objective"), QStringLiteral("Result")});
    objectives_->setRootIsDecorated(false);
    objectives_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    objectives_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    objectives_->header()->setStretchLastSection(false);
    objectives_->setAccessibleName(QStringLiteral("Objectives met"));
    objectives_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(objectives_);

    kpis_ = new QLabel(this);
    kpis_->setWordWrap(true);
    kpis_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(kpis_);

    events_ = new ScenarioEventsModel(this);
    eventTable_ = new QTableView(this);
    eventTable_->setModel(events_);
    eventTable_->verticalHeader()->hide();
    eventTable_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    eventTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    eventTable_->setWordWrap(false);
    eventTable_->horizontalHeader()->setSectionResizeMode(ScenarioEventsModel::Time,
                                                          QHeaderView::ResizeToContents);
    eventTable_->horizontalHeader()->setSectionResizeMode(ScenarioEventsModel::Kind,
                                                          QHeaderView::ResizeToContents);
    eventTable_->horizontalHeader()->setStretchLastSection(true);
    eventTable_->setAccessibleName(QStringLiteral("Event timeline"));
    // The timeline and the What-if share the room below the KPIs: at 1280x800 there is not enough
    // of it for both.
    sections_ = new QTabWidget(this);
    sections_->setObjectName(QStringLiteral("debriefSections"));
    sections_->addTab(eventTable_, QStringLiteral("Timeline"));
    layout->addWidget(sections_, 1);
    auto* whatIfPage = new QWidget(this);
    auto* whatIfLayout = new QVBoxLayout(whatIfPage);
    whatIfLayout->setContentsMargins(0, 4, 0, 0);

    whatIfSummary_ = new QLabel(this);
    whatIfSummary_->setWordWrap(true);
    whatIfSummary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    whatIfSummary_->setAccessibleName(QStringLiteral("What if: summary"));
    whatIfLayout->addWidget(whatIfSummary_);
    whatIfTable_ = new QTableWidget(0, 3, this);
    whatIfTable_->setHorizontalHeaderLabels(
        {QStringLiteral("Line"), QStringLiteral("This run's policy"), QStringLiteral("The other policy")});
    whatIfTable_->verticalHeader()->hide();
    whatIfTable_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    whatIfTable_->setWordWrap(false);
    whatIfTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    whatIfTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    whatIfTable_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    whatIfTable_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    whatIfTable_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    whatIfTable_->setAccessibleName(QStringLiteral("What if: differing decisions"));
    whatIfTable_->hide();
    whatIfLayout->addWidget(whatIfTable_, 1);
    whatIfPage_ = whatIfPage;
}

namespace {
// One decision of a replay line as a cell: "rejected · score 85 · velocity, amount · breaker open".
QString decisionText(const QJsonObject& d) {
    QStringList parts{d.value(QStringLiteral("outcome")).toString()};
    if (d.contains(QStringLiteral("score"))) {
        parts << QStringLiteral("score %1").arg(d.value(QStringLiteral("score")).toInt());
    }
    QStringList reasons;
    for (const QJsonValue& r : d.value(QStringLiteral("reasons")).toArray()) {
        reasons << r.toString();
    }
    if (!reasons.isEmpty()) {
        parts << reasons.join(QStringLiteral(", "));
    }
    if (d.contains(QStringLiteral("breaker"))) {
        parts << QStringLiteral("breaker ") + d.value(QStringLiteral("breaker")).toString();
    }
    if (d.contains(QStringLiteral("status"))) {  // a deployment: how its rollout ended
        parts << d.value(QStringLiteral("status")).toString();
    }
    return parts.join(QStringLiteral(" · "));
}

// "charged 32149 → 36000 · rejected 3851 → 0": each outcome either run saw, this run's first.
QString countsText(const ReplayReport& a, const ReplayReport& b) {
    QStringList parts;
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        const auto index = static_cast<std::size_t>(i);
        if (a.counts[index] > 0 || b.counts[index] > 0) {
            parts << QStringLiteral("%1 %2 → %3")
                         .arg(toString(static_cast<PaymentOutcome>(i)))
                         .arg(a.counts[index])
                         .arg(b.counts[index]);
        }
    }
    return parts.join(QStringLiteral(" · "));
}
}  // namespace

void DebriefView::showWhatIfPage() {
    if (sections_->indexOf(whatIfPage_) < 0) {
        sections_->addTab(whatIfPage_, QStringLiteral("What if"));
    }
    sections_->setCurrentWidget(whatIfPage_);
}

void DebriefView::showWhatIfRunning(const QString& policyName) {
    showWhatIfPage();
    whatIf_->setEnabled(false);
    whatIfSummary_->setText(QStringLiteral("<b>What if %1?</b> Replaying the run under both policies…")
                                .arg(policyName.toHtmlEscaped()));
    whatIfSummary_->show();
    whatIfTable_->hide();
}

void DebriefView::showWhatIf(const QString& policyName, const WhatIfRun& run) {
    showWhatIfPage();
    whatIf_->setEnabled(true);
    whatIfSummary_->show();
    if (!run.error.isEmpty()) {
        whatIfSummary_->setText(QStringLiteral("<b>What if %1?</b> %2")
                                    .arg(policyName.toHtmlEscaped(), run.error.toHtmlEscaped()));
        whatIfSummary_->setStyleSheet(
            QStringLiteral("QLabel { color: %1; }").arg(lightColor(AndonLight::Red).name()));
        whatIfTable_->hide();
        return;
    }
    whatIfSummary_->setStyleSheet(QString());
    const ReplayComparison& c = run.comparison;
    // Two lines, so that the table keeps its rows at 1280x800; the rest is in the tooltip.
    whatIfSummary_->setText(
        QStringLiteral("<b>What if %1?</b> %2 of %3 lines decide differently.<br>This run → "
                       "%1: %4 · breaker trips %5 → %6")
            .arg(policyName.toHtmlEscaped())
            .arg(c.differing)
            .arg(c.lines)
            .arg(countsText(c.a, c.b))
            .arg(c.a.breakerTripsAtMs.size())
            .arg(c.b.breakerTripsAtMs.size()));
    whatIfSummary_->setToolTip(
        QStringLiteral(
            "%1 payments and %2 deployments of the run's audit trail, replayed on its seed under its "
            "own policy and under %3; every differing line is in %4")
            .arg(run.payments)
            .arg(run.deployments)
            .arg(policyName, run.diffPath));
    whatIfTable_->setRowCount(static_cast<int>(run.differing.size()));
    for (int row = 0; row < static_cast<int>(run.differing.size()); ++row) {
        const QJsonObject& line = run.differing[static_cast<std::size_t>(row)];
        const QJsonObject a = line.value(QStringLiteral("a")).toObject();
        whatIfTable_->setItem(row, 0,
                              new QTableWidgetItem(QStringLiteral("%1 %2")
                                                       .arg(line.value(QStringLiteral("line")).toInt())
                                                       .arg(a.value(QStringLiteral("id")).toString())));
        for (int column : {1, 2}) {
            const QString text = decisionText(column == 1 ? a : line.value(QStringLiteral("b")).toObject());
            auto* item = new QTableWidgetItem(text);
            item->setToolTip(text);
            whatIfTable_->setItem(row, column, item);
        }
    }
    whatIfTable_->setHorizontalHeaderItem(2, new QTableWidgetItem(policyName));
    whatIfTable_->setVisible(!run.differing.empty());
}

QString DebriefView::whatIfSummary() const {
    return whatIfSummary_->isHidden() ? QString() : whatIfSummary_->text();
}

QString DebriefView::verdict() const {
    return verdict_->text();
}

void DebriefView::showReport(const QString& title, const QJsonObject& report) {
    report_ = report;
    heading_->setText(QStringLiteral("Debrief — %1 · seed %2 · %3")
                          .arg(title)
                          .arg(report.value(QStringLiteral("seed")).toInteger())
                          .arg(clockText(report.value(QStringLiteral("duration_s")).toDouble()).mid(2)));
    objectives_->clear();
    int met = 0;
    const QJsonArray objectives = report.value(QStringLiteral("objectives")).toArray();
    for (const QJsonValue& v : objectives) {
        const QJsonObject o = v.toObject();
        auto* item = new QTreeWidgetItem(objectives_);
        item->setText(0, objectiveText(o));
        item->setText(1, objectiveResult(o, true));
        const bool ok = o.value(QStringLiteral("met")).toBool();
        met += ok ? 1 : 0;
        item->setForeground(1, lightColor(ok ? AndonLight::Green : AndonLight::Red));
    }
    verdict_->setText(QStringLiteral("%1 of %2 objectives met").arg(met).arg(objectives.size()));
    // As tall as its rows: the event timeline below gets the rest.
    const int rowHeight =
        objectives_->sizeHintForRow(0) > 0 ? objectives_->sizeHintForRow(0) : fontMetrics().height() + 4;
    objectives_->setFixedHeight(objectives_->header()->sizeHint().height() +
                                rowHeight * static_cast<int>(objectives.size()) +
                                2 * objectives_->frameWidth() + 2);
    verdict_->setStyleSheet(QStringLiteral("QLabel { font-size: 12pt; font-weight: bold; color: %1; }")
                                .arg(lightColor(met == objectives.size() ? AndonLight::Green
                                                : met > 0                ? AndonLight::Yellow
                                                                         : AndonLight::Red)
                                         .name()));

    const QJsonObject k = report.value(QStringLiteral("kpis")).toObject();
    const QJsonObject counts = report.value(QStringLiteral("counts")).toObject();
    QStringList outcomes;
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (it.value().toInteger() > 0) {
            outcomes << QStringLiteral("%1 %2").arg(it.key()).arg(it.value().toInteger());
        }
    }
    const auto orDash = [&k](const char* key, const QString& unit) {
        const QJsonValue v = k.value(QLatin1String(key));
        return v.isNull() || v.isUndefined() ? QStringLiteral("—")
                                             : QString::number(v.toDouble(), 'g', 6) + unit;
    };
    kpis_->setText(
        QStringLiteral("<b>KPIs</b> &nbsp; success rate %1 % · p99 %2 · lost payments %3 · breaker trips "
                       "%4 · gateway recovery %5 · rollbacks %6 · MTTR %7<br><b>Payments</b> &nbsp; %8"
                       "<br><b>Audit digest</b> &nbsp; <code>%9</code>")
            .arg(k.value(QStringLiteral("success_rate")).toDouble() * 100, 0, 'f', 2)
            .arg(orDash("p99_ms", QStringLiteral(" ms")))
            .arg(k.value(QStringLiteral("lost_payments")).toInteger())
            .arg(k.value(QStringLiteral("breaker_trips")).toInteger())
            .arg(orDash("gateway_recovery_s", QStringLiteral(" s")))
            .arg(k.value(QStringLiteral("rollbacks")).toInteger())
            .arg(orDash("mttr_s", QStringLiteral(" s")))
            .arg(outcomes.join(QStringLiteral(", ")))
            .arg(report.value(QStringLiteral("audit_digest")).toString()));
    events_->setEvents(report.value(QStringLiteral("events")).toArray());
}

}  // namespace tai::ui
