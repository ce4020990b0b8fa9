import re
from playwright.sync_api import Playwright, sync_playwright, expect


def run(playwright: Playwright) -> None:
    browser = playwright.chromium.launch(headless=False)
    context = browser.new_context()
    page = context.new_page()
    page.goto("http://127.0.0.1:8000/")
    page.get_by_test_id("category-tile").first.click()
    page.get_by_test_id("product-card").first.click()
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_test_id("checkout").click()
    page.get_by_label("Email address").click()
    page.get_by_label("Email address").fill("shopper@example.com")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Full name").click()
    page.get_by_label("Full name").fill("Alex Rivera")
    page.get_by_label("Full name").press("Tab")
    page.get_by_label("Address line 1").fill("12 Harbour Street")
    page.get_by_label("City").click()
    page.get_by_label("City").fill("Portland")
    page.get_by_label("Postal code").click()
    page.get_by_label("Postal code").fill("97201")
    page.get_by_label("Country").select_option("US")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(re.compile("^Standard")).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_placeholder("1234 5678 9012 3456").click()
    page.get_by_placeholder("1234 5678 9012 3456").fill("4242 4242 4242 4242")
    page.get_by_placeholder("MM/YY").fill("12/30")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_label("Name on card").fill("Alex Rivera")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("step-heading")).to_contain_text("Review your order")
    page.get_by_role("button", name="Place order").click()

    # ---------------------
    context.close()
    browser.close()


with sync_playwright() as playwright:
    run(playwright)
