#include "fleet/fleet_view.h"

namespace tai::fleet {

int FleetView::Breaker::count(const QString& state) const {
    const auto it = byState.find(state);
    return it == byState.end() ? 0 : it->second;
}

QString FleetView::Breaker::worstState() const {
    for (const QString& state : {QStringLiteral("open"), QStringLiteral("half_open")}) {
        if (count(state) > 0) {
            return state;
        }
    }
    return QStringLiteral("closed");
}

QString FleetView::Breaker::summary() const {
    const QString worst = worstState();
    const QString label = worst == u"closed" ? worst : worst.toUpper();
    QString text = label + u" on " + QString::number(count(worst)) + u" of " + QString::number(total);
    if (forced > 0) {
        text += u" · " + QString::number(forced) + u" forced";
    }
    if (notReporting > 0) {
        text += u" · " + QString::number(notReporting) + u" not reporting";
    }
    return text;
}

const FleetView::Instance* FleetView::find(const QString& instance) const {
    for (const Instance& row : instances) {
        if (row.instance == instance) {
            return &row;
        }
    }
    return nullptr;
}

const FleetView::Breaker* FleetView::breaker(const QString& name) const {
    for (const Breaker& b : breakers) {
        if (b.name == name) {
            return &b;
        }
    }
    return nullptr;
}

std::optional<double> FleetView::ratio(const QString& numerator, const QString& denominator) const {
    const auto num = windowCounts.find(numerator);
    const auto den = windowCounts.find(denominator);
    if (den == windowCounts.end() || den->second == 0) {
        return std::nullopt;
    }
    return static_cast<double>(num == windowCounts.end() ? 0 : num->second) /
           static_cast<double>(den->second);
}

}  // namespace tai::fleet
