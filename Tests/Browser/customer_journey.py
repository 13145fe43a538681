#!/usr/bin/python3
"""The customer's and the kitchen crew's journey in a real headless Chromium (Selenium).

Run by the Swift integration test `BrowserTests` against a running pipeline whose kitchen is in
manual mode: order two pizzas, check out, land on the tracking page, bump the ticket on the
kitchen display, and watch the customer's page move to Delivered without a reload. The customer's
name is `<script>alert(1)</script>`: both pages must show it as text and no alert may open.
Screenshots go to --out. Exit status 0 means every check passed; failures are printed.
"""
import argparse
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

EVIL_NAME = "<script>alert(1)</script>"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--staff-token", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(flag)
    service = ChromeService(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    failures = []

    def check(condition, message):
        print(("ok   " if condition else "FAIL ") + message, flush=True)
        if not condition:
            failures.append(message)

    def shot(name):
        path = os.path.join(args.out, name)
        driver.save_screenshot(path)
        print("screenshot " + path, flush=True)

    def no_alert():
        try:
            driver.switch_to.alert
            return False
        except NoAlertPresentException:
            return True

    def click_fresh(selector, attempts=20):
        """Clicks an element that live updates may re-render: find it again until the click lands."""
        for _ in range(attempts):
            try:
                WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector))).click()
                return
            except StaleElementReferenceException:
                time.sleep(0.2)
        raise TimeoutException(f"could not click {selector}")

    wait = WebDriverWait(driver, 30)
    try:
        # 1. The menu, two pizzas, checkout.
        driver.get(args.base_url + "/")
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=add-margherita]"))).click()
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=add-diavola]"))).click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=cart-count]"), "2"))
        check(driver.find_element(By.CSS_SELECTOR, "[data-testid=cart-count]").text.strip() == "2", "two pizzas in the cart")
        for field, value in (("name", EVIL_NAME), ("email", "ada@example.com"), ("phone", "+44 20 7946 0000"),
                             ("address", "1 Main Street, London")):
            driver.find_element(By.ID, field).send_keys(value)
        shot("checkout.png")
        driver.find_element(By.CSS_SELECTOR, "[data-testid=checkout]").click()

        # 2. The tracking page (unguessable URL: id + token in the fragment).
        wait.until(EC.url_contains("/track/"))
        tracking_url = driver.current_url
        order_id = tracking_url.split("/track/")[1].split("#")[0]
        check("#token=" in tracking_url, "tracking URL carries the token in the fragment")
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=current-status]").text.strip() in ("Accepted", "Placed"))
        check(no_alert(), "no alert on the tracking page")
        wait.until(lambda d: EVIL_NAME in d.find_element(By.TAG_NAME, "body").text)
        check(len(driver.find_elements(By.CSS_SELECTOR, "main script")) == 0, "the tracking page shows the customer's name as text")
        shot("tracking-accepted.png")
        customer_tab = driver.current_window_handle

        # 3. The kitchen display, after staff sign-in, in a second tab.
        driver.switch_to.new_window("tab")
        kitchen_tab = driver.current_window_handle
        driver.get(args.base_url + "/kitchen")
        wait.until(EC.presence_of_element_located((By.ID, "token"))).send_keys(args.staff_token)
        driver.find_element(By.CSS_SELECTOR, "[data-testid=login]").click()
        wait.until(EC.url_contains("/kitchen"))
        ticket = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"[data-testid=ticket-{order_id}]")))
        check(EVIL_NAME in ticket.text, "the kitchen ticket shows the customer's name as text")
        check(len(driver.find_elements(By.CSS_SELECTOR, f"[data-testid=ticket-{order_id}] script")) == 0,
              "no script element inside the ticket")
        check(no_alert(), "no alert on the kitchen display")
        shot("kitchen-tickets.png")

        # 4. Bump accepted → baking; the customer's page moves without a reload.
        click_fresh(f"[data-testid=bump-{order_id}]")
        driver.switch_to.window(customer_tab)
        WebDriverWait(driver, 40).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=current-status]").text.strip() == "Baking")
        check(driver.current_url == tracking_url, "the customer's page moved to Baking without a reload")
        shot("tracking-baking.png")

        # 5. Bump baking → ready; delivery takes it from there, to Delivered.
        driver.switch_to.window(kitchen_tab)
        WebDriverWait(driver, 20).until(lambda d: d.find_element(
            By.CSS_SELECTOR, f"[data-testid=ticket-{order_id}]").get_attribute("data-status") == "baking")
        click_fresh(f"[data-testid=bump-{order_id}]")
        shot("kitchen-bumped.png")
        driver.switch_to.window(customer_tab)
        WebDriverWait(driver, 60).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=current-status]").text.strip() == "Delivered")
        check(driver.current_url == tracking_url, "the customer's page reached Delivered without a reload")
        done = driver.find_elements(By.CSS_SELECTOR, "[data-testid^=stage-].done")
        check(len(done) >= 6, f"six stages marked done (found {len(done)})")
        check(no_alert(), "no alert at the end")
        shot("tracking-delivered.png")
    except TimeoutException as error:
        failures.append(f"timed out: {error.msg or 'waiting for the page'} at {driver.current_url}")
        shot("failure.png")
    finally:
        driver.quit()

    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("journey passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
