#include "andon_board.h"

#include "alert_board_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace tai::ui {

QString controlLabel(const QString& control) {
    if (control == u"force_half_open") {
        return QStringLiteral("Force half-open");
    }
    if (control == u"rollback") {
        return QStringLiteral("Roll back…");
    }
    if (control == u"retry") {
        return QStringLiteral("Retry…");
    }
    return QStringLiteral("No control");
}

namespace {
QTableView* table(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->setWordWrap(false);
    view->horizontalHeader()->setStretchLastSection(false);
    view->horizontalHeader()->setSectionResizeMode(AlertBoardModel::Alert, QHeaderView::Stretch);
    view->horizontalHeader()->setMinimumSectionSize(40);
    view->setColumnWidth(AlertBoardModel::Severity, 72);
    view->setColumnWidth(AlertBoardModel::State, 62);
    view->setColumnWidth(AlertBoardModel::Age, 72);
    view->setColumnWidth(AlertBoardModel::Value, 122);
    view->setColumnWidth(AlertBoardModel::Handling, 84);
    view->setColumnHidden(AlertBoardModel::Subject,
                          true);  // the alert's text names it; the tooltip has the key
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    return view;
}
}  // namespace

AndonBoard::AndonBoard(QWidget* parent) : QWidget(parent) {
    setAccessibleName(QStringLiteral("Andon board"));
    active_ = new AlertBoardModel(false, this);
    history_ = new AlertBoardModel(true, this);
    auto* layout = new QVBoxLayout(this);
    summary_ = new QLabel(this);
    summary_->setTextFormat(Qt::PlainText);
    summary_->setWordWrap(true);
    summary_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(summary_);
    activeTable_ = table(active_, this);
    activeTable_->setAccessibleName(QStringLiteral("Open alerts"));
    layout->addWidget(activeTable_, 3);

    auto* buttons = new QHBoxLayout;
    ack_ = new QPushButton(QStringLiteral("Acknowledge…"), this);
    ack_->setToolTip(
        QStringLiteral("Say you are on it, with a note. The alert keeps firing and the light stays."));
    silence_ = new QPushButton(QStringLiteral("Silence…"), this);
    silence_->setToolTip(
        QStringLiteral("Take the alert off the light and the notifiers for a while, with a reason."));
    control_ = new QPushButton(controlLabel({}), this);
    control_->setToolTip(QStringLiteral("The control that answers the selected alert."));
    why_ = new QPushButton(QStringLiteral("Why?"), this);
    why_->setToolTip(QStringLiteral(
        "Why the latest payment this alert is about was blocked: rules, score, breaker, queue."));
    for (QPushButton* b : {ack_, silence_, control_, why_}) {
        buttons->addWidget(b);
    }
    buttons->addStretch();
    layout->addLayout(buttons);
    notifiers_ = new QLabel(this);
    notifiers_->setTextFormat(Qt::PlainText);
    notifiers_->setWordWrap(true);
    notifiers_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(notifiers_);

    auto* historyLabel = new QLabel(QStringLiteral("Resolved (newest first)"), this);
    layout->addWidget(historyLabel);
    historyTable_ = table(history_, this);
    historyTable_->setAccessibleName(QStringLiteral("Resolved alerts"));
    layout->addWidget(historyTable_, 2);

    connect(activeTable_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AndonBoard::updateButtons);
    connect(active_, &QAbstractItemModel::modelReset, this, &AndonBoard::updateButtons);
    // Each signal carries a copy: its slots open modal dialogs, during which new snapshots reset
    // the model, so a reference into it would dangle (it crashed the console with bad_alloc).
    connect(ack_, &QPushButton::clicked, this, [this] {
        if (const auto* a = selected()) {
            const QString key = a->key;
            Q_EMIT acknowledgeRequested(key);
        }
    });
    connect(silence_, &QPushButton::clicked, this, [this] {
        if (const auto* a = selected()) {
            const QString key = a->key;
            Q_EMIT silenceRequested(key);
        }
    });
    connect(control_, &QPushButton::clicked, this, [this] {
        if (const auto* a = selected()) {
            const ActiveAlert alert = *a;
            Q_EMIT controlRequested(alert);
        }
    });
    connect(why_, &QPushButton::clicked, this, [this] {
        if (const auto* a = selected()) {
            const ActiveAlert alert = *a;
            Q_EMIT whyRequested(alert);
        }
    });
    updateButtons();
}

const ActiveAlert* AndonBoard::selected() const {
    const auto rows = activeTable_->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : active_->alertAt(rows.front().row());
}

void AndonBoard::selectAlert(const QString& key) {
    for (int row = 0; row < active_->rowCount(); ++row) {
        if (active_->alertAt(row)->key == key) {
            activeTable_->selectRow(row);
            return;
        }
    }
}

void AndonBoard::updateButtons() {
    const ActiveAlert* a = selected();
    ack_->setEnabled(a != nullptr);
    silence_->setEnabled(a != nullptr);
    control_->setEnabled(a != nullptr && !a->control.isEmpty());
    control_->setText(controlLabel(a != nullptr ? a->control : QString()));
    why_->setEnabled(a != nullptr && a->system == u"payments");  // "why" explains a payment
}

void AndonBoard::showSnapshot(const EngineSnapshot& s) {
    const std::int64_t now = toEpochMs(s.at);
    const QString keep = selected() ? selected()->key : QString();
    active_->setAlerts(s.alerts, now);
    history_->setAlerts(s.alertHistory, now);
    if (!keep.isEmpty() && !selected()) {
        selectAlert(keep);
    }
    if (!selected() && active_->rowCount() > 0) {
        activeTable_->selectRow(0);  // the worst alert, ready for its control
    }
    updateButtons();
    int firing = 0;
    int pending = 0;
    int silenced = 0;
    for (const ActiveAlert& a : s.alerts) {
        firing += a.state == AlertState::Firing && !a.silencedAt(now);
        pending += a.state == AlertState::Pending;
        silenced += a.silencedAt(now);
    }
    summary_->setText(QStringLiteral("%1 firing · %2 pending · %3 silenced — the light is %4: %5")
                          .arg(firing)
                          .arg(pending)
                          .arg(silenced)
                          .arg(toString(s.light), s.lightReason));
    QStringList routes;
    for (const NotifierStatus& n : s.notifiers) {
        routes << QStringLiteral("%1: %2 sent, %3 queued%4")
                      .arg(n.name)
                      .arg(n.delivered)
                      .arg(n.queued)
                      .arg(n.lastError.isEmpty()
                               ? QString()
                               : QStringLiteral(" (retrying: ") + n.lastError + QLatin1Char(')'));
    }
    notifiers_->setText(routes.isEmpty() ? QStringLiteral("Notifiers: board, tray and log only")
                                         : routes.join(QStringLiteral(" · ")));
}

}  // namespace tai::ui
