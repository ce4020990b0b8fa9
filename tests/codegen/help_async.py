import asyncio
import re
from playwright.async_api import Playwright, async_playwright, expect


async def run(playwright: Playwright) -> None:
    browser = await playwright.chromium.launch(headless=False)
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto("http://127.0.0.1:8000/")
    await page.get_by_placeholder("Search tents, packs, jackets…").click()
    await page.get_by_placeholder("Search tents, packs, jackets…").fill("tent")
    await page.get_by_placeholder("Search tents, packs, jackets…").press("Enter")
    await page.get_by_role("navigation").get_by_role("link", name="Help").click()
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await page.locator("footer").get_by_text("Shipping & Returns").click()
    await page.get_by_role("link", name="Contact").first.click()
    await page.get_by_label("Your name").fill("Alex Rivera")
    await page.get_by_label("Your password").fill("hunter2-Correct-Horse")
    await page.get_by_role("link", name="Help").set_input_files("receipt.pdf")
    await page.go_back()

    # ---------------------
    await context.close()
    await browser.close()


async def main() -> None:
    async with async_playwright() as playwright:
        await run(playwright)


asyncio.run(main())
