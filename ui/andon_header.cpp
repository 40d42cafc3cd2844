#include "andon_header.h"

#include "base/rfc3339.h"
#include "kpi_tile.h"
#include "status_colors.h"
#include "status_light.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace tai::ui {

namespace {
QString rateText(const Rate& rate) {
    return rate.enoughData ? QString::number(rate.value * 100, 'f', 1) + QLatin1Char('%')
                           : QStringLiteral("n/a");
}
// The sample count is always shown; below the minimum the rate is "not enough data", never 0 %.
QString samples(const Rate& rate) {
    return rate.enoughData ? QStringLiteral("n = %1 / 60 s").arg(rate.samples)
                           : QStringLiteral("not enough data (n = %1)").arg(rate.samples);
}

// Sub-millisecond latencies read better in microseconds than as "0.00 ms".
QString latencyText(double ms) {
    if (ms < 1.0) {
        return QString::number(ms * 1000.0, 'f', 0) + QStringLiteral(" µs");
    }
    return QString::number(ms, 'f', ms < 100 ? 1 : 0) + QStringLiteral(" ms");
}
}  // namespace

AndonHeader::AndonHeader(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(10);

    light_ = new StatusLight(84, this);
    light_->setAccessibleName(QStringLiteral("Andon light"));
    light_->setToolTip(
        QStringLiteral("Overall Andon light: RED when a CRITICAL alert holds (an open breaker, fraud rate "
                       "over 2 %), YELLOW for HIGH (latency, error or success rate), GREEN otherwise."));
    layout->addWidget(light_);

    auto* words = new QVBoxLayout;
    words->setSpacing(2);
    reason_ = new QLabel(this);
    QFont reasonFont = reason_->font();
    reasonFont.setPointSizeF(reasonFont.pointSizeF() * 1.25);
    reasonFont.setBold(true);
    reason_->setFont(reasonFont);
    reason_->setWordWrap(true);
    reason_->setMinimumWidth(180);
    reason_->setAccessibleName(QStringLiteral("Andon reason"));
    fault_ = new QLabel(this);
    fault_->setWordWrap(true);
    fault_->setAccessibleName(QStringLiteral("Active fault"));
    fault_->setToolTip(QStringLiteral("The gateway fault injected right now (Fault injection dock)."));
    clock_ = new QLabel(this);
    clock_->setWordWrap(true);
    clock_->setToolTip(
        QStringLiteral("Engine time of the snapshot on screen, and the policy version in force."));
    words->addWidget(reason_);
    words->addWidget(fault_);
    words->addWidget(clock_);
    words->addStretch();
    layout->addLayout(words, 1);

    throughput_ = new KpiTile(
        QStringLiteral("Throughput"),
        QStringLiteral("Payment signals decided per second, over the last 5 complete seconds."), this);
    success_ = new KpiTile(
        QStringLiteral("Success rate"),
        QStringLiteral(
            "Charged ÷ approved payments that reached the gateway line (charged, gateway "
            "errors and timeouts, circuit-open and shed), over the last 60 s. HIGH alert below 95 %."),
        this);
    reject_ = new KpiTile(
        QStringLiteral("Reject rate"),
        QStringLiteral("Fraud: payments the fraud policy rejected ÷ policy decisions, over the last 60 s. "
                       "CRITICAL alert above 2 %."),
        this);
    p50_ = new KpiTile(
        QStringLiteral("p50 latency"),
        QStringLiteral("Median time from receiving a payment to its answer, over the last second."), this);
    p99_ = new KpiTile(
        QStringLiteral("p99 latency"),
        QStringLiteral("99th percentile time to answer, over the last second. HIGH alert above 5000 ms."),
        this);
    alerts_ = new KpiTile(
        QStringLiteral("Open alerts"),
        QStringLiteral("Andon alert conditions that hold now; the worst one sets the light."), this);
    for (KpiTile* tile : {throughput_, success_, reject_, p50_, p99_, alerts_}) {
        layout->addWidget(tile);
    }
}

void AndonHeader::showSnapshot(const EngineSnapshot& s) {
    light_->setState(lightColor(s.light), toString(s.light));
    reason_->setText(s.lightReason);
    QStringList faults;
    if (s.gatewayFault.isActive()) {
        faults << QStringLiteral("payment gateway ") + s.gatewayFault.describe();
    }
    for (const InfraFault& f : s.infraFaults) {
        faults << QStringLiteral("infrastructure in %1%2")
                      .arg(f.region, f.version.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (") + f.version + QLatin1Char(')'));
    }
    if (!faults.isEmpty()) {
        fault_->setText(QStringLiteral("⚠ Active fault: ") + faults.join(QStringLiteral("; ")));
        fault_->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(faultColor().name()));
    } else {
        fault_->setText(QStringLiteral("No fault injected"));
        fault_->setStyleSheet(QString());
    }
    QString load = QStringLiteral("load %1/s").arg(s.loadPerSecond);
    if (s.burstPerSecond > 0) {
        load += QStringLiteral(" + burst %1/s (%2 s left)")
                    .arg(s.burstPerSecond)
                    .arg(s.burstSecondsLeft, 0, 'f', 0);
    }
    clock_->setText(QStringLiteral("%1 · policy %2 · %3").arg(formatRfc3339(s.at), s.policyVersion, load));

    const KpiView& k = s.kpis;
    throughput_->setValue(
        QString::number(k.throughputPerS, 'f', k.throughputPerS < 100 ? 1 : 0) + QStringLiteral("/s"),
        QStringLiteral("%1 total").arg(k.received));
    success_->setValue(rateText(k.successRate), samples(k.successRate), !k.successRate.enoughData);
    reject_->setValue(rateText(k.rejectRate), samples(k.rejectRate), !k.rejectRate.enoughData);
    const bool latency = !s.history.empty();
    p50_->setValue(latency ? latencyText(k.p50Ms) : QStringLiteral("–"), QStringLiteral("last second"),
                   !latency);
    p99_->setValue(latency ? latencyText(k.p99Ms) : QStringLiteral("–"), QStringLiteral("last second"),
                   !latency);
    int critical = 0;
    for (const auto& alert : s.alerts) {
        critical += alert.severity == Severity::Critical ? 1 : 0;
    }
    alerts_->setValue(QString::number(s.alerts.size()), s.alerts.empty()
                                                            ? QStringLiteral("none")
                                                            : QStringLiteral("%1 critical").arg(critical));
}

QString AndonHeader::lightWord() const {
    return light_->word();
}
QString AndonHeader::reason() const {
    return reason_->text();
}
QString AndonHeader::faultText() const {
    return fault_->text();
}

QString AndonHeader::tileValue(const QString& name) const {
    for (const KpiTile* tile : {throughput_, success_, reject_, p50_, p99_, alerts_}) {
        if (tile->accessibleName() == name) {
            return tile->value();
        }
    }
    return {};
}

}  // namespace tai::ui
