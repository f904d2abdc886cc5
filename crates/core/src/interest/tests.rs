use super::*;

fn d(text: &str) -> NaiveDate {
    crate::date::parse_iso(text).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn gbp(minor: i64) -> Money {
    Money::new(minor, Currency::GBP)
}

fn rates() -> RateTable {
    RateTable::shipped().unwrap()
}

fn single(due: &str, amount: Money) -> Vec<Instalment> {
    vec![Instalment { due_date: d(due), amount }]
}

fn run(regime: Regime, instalments: &[Instalment], payments: &[(NaiveDate, Money)], as_of: &str) -> InterestStatement {
    let claim = Claim { regime, instalments, payments, order: PaymentOrder::PrincipalFirst, due_date_shift: None };
    compute(&claim, d(as_of), &rates()).unwrap()
}

fn lines(statement: &InterestStatement) -> Vec<(String, String, i64, String, String)> {
    statement
        .lines
        .iter()
        .map(|l| (l.from.to_string(), l.to.to_string(), l.days, l.rate.to_string(), l.interest.to_string()))
        .collect()
}

#[test]
fn example_1_italy_each_day_at_the_rate_of_its_half_year() {
    let debt = single("2024-06-15", eur(10_000_00));
    let statement =
        run(Regime::Italy(ItalianContract::Standard), &debt, &[(d("2024-07-15"), eur(10_000_00))], "2024-09-01");
    assert_eq!(
        lines(&statement),
        [
            ("2024-06-16".into(), "2024-06-30".into(), 15, "12.50 %".into(), "EUR 51.37".into()),
            ("2024-07-01".into(), "2024-07-15".into(), 15, "12.25 %".into(), "EUR 50.34".into()),
        ]
    );
    assert_eq!(statement.interest, eur(101_71));
    assert_eq!(statement.compensation, Some(eur(40_00)));
    assert!(statement.moved_due_dates.is_empty(), "15 June 2024 is a Saturday: it does not move in Italy");
}

#[test]
fn example_2_uk_rate_fixed_when_the_debt_became_late() {
    let debt = single("2023-12-20", gbp(5_000_00));
    let statement = run(Regime::UnitedKingdom, &debt, &[(d("2024-03-19"), gbp(5_000_00))], "2024-06-30");
    assert_eq!(
        lines(&statement),
        [("2023-12-21".into(), "2024-03-19".into(), 90, "13.00 %".into(), "GBP 160.27".into())]
    );
    assert_eq!(statement.compensation, Some(gbp(70_00)));
}

#[test]
fn example_3_uk_fixed_sums_by_debt_size() {
    for (principal, sum) in [(999_99, 40_00), (1_000_00, 70_00), (9_999_99, 70_00), (10_000_00, 100_00)] {
        let statement = run(Regime::UnitedKingdom, &single("2024-01-10", gbp(principal)), &[], "2024-02-10");
        assert_eq!(statement.compensation, Some(gbp(sum)), "{principal}");
    }
}

#[test]
fn example_4_paid_on_the_due_date_bears_nothing() {
    for regime in [Regime::Spain, Regime::Italy(ItalianContract::Standard), Regime::UnitedKingdom] {
        let amount = if regime == Regime::UnitedKingdom { gbp(1_000_00) } else { eur(1_000_00) };
        let debt = single("2024-03-15", amount);
        let statement = run(regime, &debt, &[(d("2024-03-15"), amount)], "2024-12-31");
        assert!(statement.lines.is_empty(), "{regime}");
        assert_eq!(statement.interest.amount_minor(), 0);
        assert_eq!(statement.compensation, None, "no day bore interest, so no compensation");
    }
    let debt = single("2024-03-15", eur(1_000_00));
    let one_day = run(Regime::Spain, &debt, &[(d("2024-03-16"), eur(1_000_00))], "2024-12-31");
    assert_eq!(lines(&one_day), [("2024-03-16".into(), "2024-03-16".into(), 1, "12.50 %".into(), "EUR 0.34".into())]);
    assert_eq!(one_day.compensation, Some(eur(40_00)));
}

#[test]
fn example_5_a_period_without_a_verified_rate_is_an_error_naming_it() {
    let debt = single("2026-05-31", eur(1_000_00));
    let claim = Claim {
        regime: Regime::Spain,
        instalments: &debt,
        payments: &[],
        order: PaymentOrder::PrincipalFirst,
        due_date_shift: None,
    };
    let err = compute(&claim, d("2026-11-23"), &rates()).unwrap_err();
    assert_eq!(
        err,
        InterestError::NoRate {
            reference: "ecb_mro",
            half_year: "2026 H2".into(),
            from: d("2026-07-01"),
            to: d("2026-12-31")
        }
    );
    assert!(err.to_string().contains("2026 H2 (2026-07-01 to 2026-12-31)"), "{err}");
    let before = compute(&claim, d("2026-06-30"), &rates()).unwrap();
    assert_eq!(before.lines.len(), 1, "up to the end of the verified half-year it computes");
    let uk = single("2024-06-30", gbp(1_000_00));
    let claim = Claim {
        regime: Regime::UnitedKingdom,
        instalments: &uk,
        payments: &[],
        order: PaymentOrder::PrincipalFirst,
        due_date_shift: None,
    };
    assert!(matches!(
        compute(&claim, d("2024-08-01"), &rates()),
        Err(InterestError::NoRate { reference: "boe_base", .. })
    ));
}

#[test]
fn spain_2013_changes_margin_on_24_february() {
    let debt = single("2013-02-13", eur(10_000_00));
    let statement = run(Regime::Spain, &debt, &[], "2013-03-05");
    assert_eq!(
        lines(&statement),
        [
            ("2013-02-14".into(), "2013-02-23".into(), 10, "7.75 %".into(), "EUR 21.23".into()),
            ("2013-02-24".into(), "2013-03-05".into(), 10, "8.75 %".into(), "EUR 23.97".into()),
        ]
    );
    let italy = run(Regime::Italy(ItalianContract::Standard), &debt, &[], "2013-03-05");
    assert_eq!(lines(&italy), [("2013-02-14".into(), "2013-03-05".into(), 20, "8.75 %".into(), "EUR 47.95".into())]);
}

#[test]
fn italian_margins_by_contract() {
    let debt = single("2024-01-31", eur(1_000_00));
    let rate = |contract| run(Regime::Italy(contract), &debt, &[], "2024-02-10").lines[0].rate;
    assert_eq!(rate(ItalianContract::Standard), Rate(1250));
    assert_eq!(rate(ItalianContract::ConcludedBefore2013), Rate(1150));
    assert_eq!(rate(ItalianContract::AgriFood), Rate(1650));
    let old = single("2015-06-30", eur(1_000_00));
    let claim = Claim {
        regime: Regime::Italy(ItalianContract::AgriFood),
        instalments: &old,
        payments: &[],
        order: PaymentOrder::PrincipalFirst,
        due_date_shift: None,
    };
    assert!(matches!(compute(&claim, d("2015-07-10"), &rates()), Err(InterestError::RuleNotInForce { .. })));
}

#[test]
fn an_italian_due_date_on_easter_monday_moves_and_the_gap_bears_nothing() {
    let debt = single("2024-04-01", eur(10_000_00));
    let statement =
        run(Regime::Italy(ItalianContract::Standard), &debt, &[(d("2024-04-02"), eur(10_000_00))], "2024-05-01");
    assert!(statement.lines.is_empty(), "paid on the moved due date");
    assert_eq!(statement.moved_due_dates, [MovedDueDate { agreed: d("2024-04-01"), moved_to: d("2024-04-02") }]);
    let spain = run(Regime::Spain, &debt, &[(d("2024-04-02"), eur(10_000_00))], "2024-05-01");
    assert_eq!(spain.lines.len(), 1, "Spain has no such rule: 2 April bears interest");
    let by_contract = Claim {
        regime: Regime::Spain,
        instalments: &debt,
        payments: &[],
        order: PaymentOrder::PrincipalFirst,
        due_date_shift: Some((DueDateShift::NextBusinessDay, Country::parse("GB").unwrap())),
    };
    let statement = compute(&by_contract, d("2024-04-10"), &rates()).unwrap();
    assert_eq!(statement.lines[0].from, d("2024-04-03"), "Easter Monday is a holiday in England too: due the 2nd");
}

#[test]
fn partial_payments_reduce_the_outstanding_from_the_next_day() {
    let debt = single("2024-01-31", eur(1_000_00));
    let statement = run(
        Regime::Contractual { annual: Rate(1800), cap: None },
        &debt,
        &[(d("2024-02-10"), eur(400_00))],
        "2024-02-20",
    );
    assert_eq!(
        lines(&statement),
        [
            ("2024-02-01".into(), "2024-02-10".into(), 10, "18.00 %".into(), "EUR 4.93".into()),
            ("2024-02-11".into(), "2024-02-20".into(), 10, "18.00 %".into(), "EUR 2.96".into()),
        ]
    );
    assert_eq!(statement.lines[1].outstanding, eur(600_00));
    assert_eq!(statement.compensation, None, "no compensation under a contractual rate");
}

#[test]
fn contractual_rates_monthly_and_capped() {
    assert_eq!(Regime::parse("1.5%/month"), Some(Regime::Contractual { annual: Rate(1800), cap: None }));
    assert_eq!(Regime::parse("18% cap 10%"), Some(Regime::Contractual { annual: Rate(1800), cap: Some(Rate(1000)) }));
    assert_eq!(Regime::parse("it-agrifood"), Some(Regime::Italy(ItalianContract::AgriFood)));
    assert_eq!(Regime::parse("whenever"), None);
    let debt = single("2025-12-31", eur(1_000_00));
    let capped = run(Regime::parse("1.5%/month cap 10%").unwrap(), &debt, &[], "2026-01-31");
    assert_eq!(capped.lines[0].rate, Rate(1000));
    assert_eq!(capped.interest, eur(8_49), "1000.00 × 10 % × 31/365 = 8.493");
}

#[test]
fn a_leap_year_still_counts_365_days() {
    let debt = single("2023-12-31", eur(365_000_00));
    let statement = run(Regime::Contractual { annual: Rate(1000), cap: None }, &debt, &[], "2024-12-31");
    assert_eq!(statement.lines[0].days, 366);
    assert_eq!(statement.interest, eur(36_600_00), "366 days at 10 % of 365,000 = 100 a day");
}

#[test]
fn rounding_is_half_up_per_segment() {
    assert_eq!(simple_interest(73, Rate(5000), 1), 0, "0.0999.. of a cent rounds down");
    // 3.65 at 50 % for one day is exactly half a cent
    assert_eq!(simple_interest(365, Rate(5000), 1), 1, "0.5 of a cent rounds up, not to even");
    assert_eq!(simple_interest(365 * 3, Rate(5000), 1), 2, "1.5 rounds up to 2");
    assert_eq!(simple_interest(365 * 5, Rate(5000), 1), 3, "2.5 rounds up to 3, not down to 2");
}

#[test]
fn instalments_bear_interest_only_once_due_with_one_compensation() {
    let total = eur(3_000_00);
    let terms = crate::terms::PaymentTerms::parse("30/60/90").unwrap();
    let schedule = terms.schedule(d("2024-01-01"), None, total);
    // due 31 Jan, 1 Mar, 31 Mar; as of 10 Mar two are due
    let statement = run(Regime::Spain, &schedule, &[], "2024-03-10");
    assert_eq!(
        statement.lines.iter().map(|l| (l.from.to_string(), l.outstanding.amount_minor())).collect::<Vec<_>>(),
        [("2024-02-01".to_owned(), 1_000_00), ("2024-03-02".to_owned(), 2_000_00)]
    );
    assert_eq!(statement.compensation, Some(eur(40_00)), "EUR 40 once per invoice, not per instalment");
}

#[test]
fn uk_instalments_each_keep_the_rate_of_their_own_half_year() {
    let schedule = [
        Instalment { due_date: d("2022-06-15"), amount: gbp(500_00) },
        Instalment { due_date: d("2022-07-15"), amount: gbp(500_00) },
    ];
    let statement = run(Regime::UnitedKingdom, &schedule, &[], "2022-07-20");
    let rates: Vec<(String, String)> =
        statement.lines.iter().map(|l| (l.from.to_string(), l.rate.to_string())).collect();
    assert_eq!(
        rates,
        [
            ("2022-06-16".to_owned(), "8.25 %".to_owned()),
            ("2022-07-16".to_owned(), "8.25 %".to_owned()),
            ("2022-07-16".to_owned(), "9.25 %".to_owned())
        ]
    );
    assert_eq!(statement.compensation, Some(gbp(70_00)), "by the whole debt: 1,000.00");
}

#[test]
fn the_legal_order_pays_costs_then_interest_then_principal() {
    let debt = single("2024-01-31", eur(1_000_00));
    let payments = [(d("2024-03-01"), eur(500_00))];
    let claim = Claim {
        regime: Regime::Contractual { annual: Rate(1800), cap: None },
        instalments: &debt,
        payments: &payments,
        order: PaymentOrder::CostsInterestPrincipal,
        due_date_shift: None,
    };
    let statement = compute(&claim, d("2024-03-31"), &rates()).unwrap();
    // 1 Feb – 1 Mar: 30 days on 1,000.00 = 14.79; the payment pays that interest first
    assert_eq!(statement.lines[0].interest, eur(14_79));
    assert_eq!(statement.paid_to_interest, eur(14_79));
    assert_eq!(statement.lines[1].outstanding, eur(514_79), "1,000.00 − (500.00 − 14.79)");
    let spain = Claim { regime: Regime::Spain, ..claim };
    let statement = compute(&spain, d("2024-03-31"), &rates()).unwrap();
    assert_eq!(statement.paid_to_costs, eur(40_00), "the EUR 40 first");
}

#[test]
fn mixed_currencies_and_uk_outside_pounds_are_refused() {
    let debt = single("2024-01-31", eur(1_000_00));
    let payments = [(d("2024-02-10"), gbp(10_00))];
    let claim = Claim {
        regime: Regime::Spain,
        instalments: &debt,
        payments: &payments,
        order: PaymentOrder::PrincipalFirst,
        due_date_shift: None,
    };
    assert!(matches!(compute(&claim, d("2024-03-01"), &rates()), Err(InterestError::CurrencyMismatch { .. })));
    let claim = Claim {
        regime: Regime::UnitedKingdom,
        instalments: &debt,
        payments: &[],
        order: PaymentOrder::PrincipalFirst,
        due_date_shift: None,
    };
    assert_eq!(compute(&claim, d("2024-03-01"), &rates()), Err(InterestError::NotInPounds(Currency::EUR)));
}

proptest::proptest! {
    #[test]
    fn interest_never_decreases_as_time_passes_unpaid(
        amount in 1i64..100_000_000, due_offset in 0i64..900, later in 0i64..400, step in 1i64..200
    ) {
        let due = add_days(d("2023-01-01"), due_offset);
        let debt = single(&due.to_string(), eur(amount));
        let first = add_days(due, later);
        let second = add_days(first, step);
        proptest::prop_assume!(second <= d("2026-06-30"));
        let a = run(Regime::Spain, &debt, &[], &first.to_string());
        let b = run(Regime::Spain, &debt, &[], &second.to_string());
        proptest::prop_assert!(b.interest.amount_minor() >= a.interest.amount_minor());
    }

    #[test]
    fn a_payment_never_increases_interest(
        amount in 1i64..100_000_000, paid in 1i64..100_000_000, pay_offset in 0i64..300, as_of_offset in 0i64..400
    ) {
        let debt = single("2024-02-29", eur(amount));
        let as_of = add_days(d("2024-02-29"), as_of_offset);
        proptest::prop_assume!(as_of <= d("2026-06-30"));
        let without = run(Regime::Italy(ItalianContract::Standard), &debt, &[], &as_of.to_string());
        let payment = [(add_days(d("2024-02-29"), pay_offset), eur(paid))];
        let with = run(Regime::Italy(ItalianContract::Standard), &debt, &payment, &as_of.to_string());
        proptest::prop_assert!(with.interest.amount_minor() <= without.interest.amount_minor());
    }
}
