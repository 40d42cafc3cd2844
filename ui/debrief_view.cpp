#include "debrief_view.h"

#include "andon/andon_types.h"
#include "scenario_events_model.h"
#include "status_colors.h"
#include "training_text.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
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
    layout->addWidget(eventTable_, 1);
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
