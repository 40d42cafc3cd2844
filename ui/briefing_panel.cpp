#include "briefing_panel.h"

#include "scenario/scenario_session.h"
#include "status_colors.h"
#include "training_text.h"

#include <QLabel>
#include <QTextDocument>
#include <QVBoxLayout>

namespace tai::ui {

BriefingPanel::BriefingPanel(ScenarioSession& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName(QStringLiteral("briefingPanel"));
    auto* layout = new QVBoxLayout(this);
    const Scenario& s = session.scenario();
    title_ = new QLabel(QStringLiteral("<b>%1</b>").arg(s.title.toHtmlEscaped()), this);
    title_->setStyleSheet(QStringLiteral("QLabel { font-size: 12pt; }"));
    title_->setWordWrap(true);
    layout->addWidget(title_);
    auto* facts = new QLabel(QStringLiteral("%1 · seed %2 · %3 payments/s · %4 min")
                                 .arg(s.name)
                                 .arg(session.seed())
                                 .arg(s.paymentsPerS)
                                 .arg(s.durationS / 60, 0, 'g', 3),
                             this);
    facts->setStyleSheet(QStringLiteral("QLabel { color: palette(mid); }"));
    facts->setWordWrap(true);
    layout->addWidget(facts);
    story_ = new QLabel(s.description, this);
    story_->setWordWrap(true);
    story_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    story_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(story_);
    layout->addWidget(new QLabel(QStringLiteral("<b>Objectives</b>"), this));
    objectivesLayout_ = new QVBoxLayout;
    objectivesLayout_->setSpacing(6);
    layout->addLayout(objectivesLayout_);
    layout->addStretch(1);

    QJsonArray initial;
    for (const ScenarioObjective& o : s.objectives) {
        QJsonObject item = o.params;
        item.insert(QStringLiteral("kind"), o.kind);
        initial.append(item);
    }
    showObjectives(initial);
    connect(&session_, &ScenarioSession::objectivesChanged, this, &BriefingPanel::showObjectives);
    connect(&session_, &ScenarioSession::finished, this, [this] { showObjectives(session_.objectives()); });
}

void BriefingPanel::showObjectives(const QJsonArray& evaluated) {
    for (qsizetype i = static_cast<qsizetype>(objectives_.size()); i < evaluated.size(); ++i) {
        auto* label = new QLabel(this);
        label->setWordWrap(true);
        label->setTextFormat(Qt::RichText);
        objectivesLayout_->addWidget(label);
        objectives_.push_back(label);
    }
    for (qsizetype i = 0; i < evaluated.size(); ++i) {
        const QJsonObject o = evaluated.at(i).toObject();
        const QString result = o.contains(QStringLiteral("met")) ? objectiveResult(o, session_.isFinished())
                                                                 : QStringLiteral("… to do");
        const QString colour = result.startsWith(QStringLiteral("✓"))   ? lightColor(AndonLight::Green).name()
                               : result.startsWith(QStringLiteral("✗")) ? lightColor(AndonLight::Red).name()
                                                                        : QStringLiteral("palette(text)");
        objectives_[static_cast<std::size_t>(i)]->setText(
            QStringLiteral("%1<br><span style=\"color:%2; font-weight:bold\">%3</span>")
                .arg(objectiveText(o).toHtmlEscaped(), colour, result.toHtmlEscaped()));
    }
}

QStringList BriefingPanel::objectiveLines() const {
    QStringList lines;
    for (const QLabel* label : objectives_) {
        QTextDocument doc;
        doc.setHtml(label->text());
        lines << doc.toPlainText().replace(QLatin1Char('\n'), QStringLiteral(" — "));
    }
    return lines;
}

}  // namespace tai::ui
